namespace NeuralFit.Tests;

/// <summary>Paths to test data copied beside the test assembly.</summary>
static class Fixture
{
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
}
