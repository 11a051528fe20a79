namespace NeuralFit.Tests.Packaging;

/// <summary>
/// The library's public surface is recorded in PublicApi.NeuralFit.txt: a change to it fails here until the file is
/// regenerated on purpose (NEURALFIT_ACCEPT_API=1 dotnet test --filter PublicApiTests), so it shows in review.
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void ThePublicSurfaceIsTheRecordedOne()
    {
        string file = Path.Combine(Repository.Root, "tests", "NeuralFit.Tests", "Packaging", "PublicApi.NeuralFit.txt");
        string now = PublicApi.Of(typeof(NeuralFit.Estimators.NetworkRegressor).Assembly);
        if (Environment.GetEnvironmentVariable("NEURALFIT_ACCEPT_API") == "1") File.WriteAllText(file, now);
        string recorded = File.Exists(file) ? File.ReadAllText(file).ReplaceLineEndings("\n") : "";
        if (now == recorded) return;
        File.WriteAllText(Path.ChangeExtension(file, ".received.txt"), now);
        var added = now.Split('\n').Except(recorded.Split('\n')).Take(15);
        var removed = recorded.Split('\n').Except(now.Split('\n')).Take(15);
        Assert.Fail("the public API changed; if that is meant, run the test with NEURALFIT_ACCEPT_API=1 and commit PublicApi.NeuralFit.txt\n" +
                    $"added:\n  {string.Join("\n  ", added)}\nremoved:\n  {string.Join("\n  ", removed)}");
    }
}
