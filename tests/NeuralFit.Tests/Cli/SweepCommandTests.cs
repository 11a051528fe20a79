using System.Text.Json;
using NeuralFit.Sweeps;

namespace NeuralFit.Tests.Cli;

/// <summary>`neuralfit sweep`: the grid's expansion, its clean errors, and the files it writes.</summary>
public class SweepCommandTests
{
    const string Base = "\"base\": {\"target\": \"ln(x)\", \"domain\": \"0.01:1\", \"layers\": [8], \"steps\": 40}";

    [Fact]
    public void TheGridIsTheCartesianProductLastKeyFastest()
    {
        var spec = SweepSpec.Parse($"{{{Base}, \"grid\": {{\"optimizer\": [\"adam\", \"sgd\"], \"layers\": [[4], [6, 6]], \"seed\": [1, 2, 3]}}}}", "s.json", ".");
        Assert.Equal(12, spec.Points.Count);
        Assert.Equal("sgd", spec.Points[6].Values[0].Value!.GetValue<string>());
        Assert.Equal([4], spec.Points[1].Config.Layers);
        Assert.Equal([6, 6], spec.Points[3].Config.Layers);
        Assert.Equal([1UL, 2UL, 3UL, 1UL], spec.Points.Take(4).Select(p => p.Config.Seed));
        Assert.Equal(40, spec.Points[11].Config.Steps);
    }

    [Fact]
    public void TheReadmeExampleIsAValidSweep()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeuralFit.slnx"))) dir = dir.Parent;
        Assert.NotNull(dir);
        var readme = File.ReadAllText(Path.Combine(dir.FullName, "README.md"));
        int start = readme.IndexOf("```json\n{ \"base\"", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no sweep example");
        start += "```json\n".Length;
        var json = readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
        var spec = SweepSpec.Parse(json, "README.md", ".");
        Assert.Equal(2 * 2 * 2 * 3, spec.Points.Count);
    }

    [Theory]
    [InlineData("\"grid\": {\"learningRat\": [1]}", "did you mean 'learningRate'")]
    [InlineData("\"grid\": {\"learningRate\": [0.1, -1]}", "must be > 0")]
    [InlineData("\"grid\": {\"activation\": [\"rellu\"]}", "did you mean 'relu'")]
    [InlineData("\"grid\": {\"seed\": []}", "non-empty list")]
    [InlineData("\"grid\": {\"seed\": 3}", "non-empty list")]
    [InlineData("\"grid\": {}", "expected an object")]
    [InlineData("\"grids\": {}", "unknown key 'grids'")]
    public void BadSweepFilesAreCleanErrors(string grid, string mention)
    {
        var file = Path.Combine(Path.GetTempPath(), $"neuralfit-sweep-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, $"{{{Base}, {grid}}}");
        try { CliRunner.AssertCleanError(CliRunner.Run("sweep", "--config", file), mention); }
        finally { File.Delete(file); }
    }

    [Fact]
    public void RunsTheGridAndWritesTableJsonAndCsv()
    {
        var dir = Directory.CreateTempSubdirectory("neuralfit-sweep-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "sweep.json"), $"{{{Base}, \"grid\": {{\"optimizer\": [\"adam\", \"sgd\"], \"seed\": [1, 2]}}}}");
            var o = CliRunner.RunIn(dir, "sweep", "--config", "sweep.json", "--json", "out.json", "--csv", "out.csv");
            Assert.True(o.ExitCode == 0, o.All);
            Assert.Contains("← best", o.Stdout);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "out.json")));
            var runs = doc.RootElement.GetProperty("runs");
            Assert.Equal(4, runs.GetArrayLength());
            Assert.Equal("sgd", runs[2].GetProperty("values").GetProperty("optimizer").GetString());
            Assert.True(runs[0].GetProperty("evaluation").GetProperty("mse").GetDouble() > 0);
            var csv = File.ReadAllLines(Path.Combine(dir, "out.csv"));
            Assert.Equal(5, csv.Length);
            Assert.StartsWith("optimizer,seed,mse,", csv[0]);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
