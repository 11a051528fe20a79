using System.Text.Json;

namespace NeuralFit.Tests.Cli;

public class DiagnoseCommandTests
{
    [Fact]
    public void DiagnoseWritesFindingsAndTheCauseChain()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.json");
        var o = CliRunner.Run("diagnose", "--target", "ln(x)", "--domain", "0:1", "--layers", "50,10", "--activation", "relu",
            "--init", "uniform:0:1", "--bias-init", "uniform:0:1", "--optimizer", "sgd", "--lr", "0.01", "--batch", "50",
            "--steps", "2000", "--sampler", "fresh-uniform", "--eval-domain", "0.01:1", "--seed", "1", "--json", path);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("why: bad-init → exploding-gradients → dead-units → collapsed-output", o.Stdout);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var findings = doc.RootElement.GetProperty("findings");
        Assert.Contains(findings.EnumerateArray(), f => f.GetProperty("code").GetString() == "dead-units" && f.GetProperty("severity").GetString() == "error");
        foreach (var f in findings.EnumerateArray())
            foreach (var key in new[] { "code", "severity", "message", "evidence", "fixes" })
                Assert.True(f.TryGetProperty(key, out _), $"finding lacks {key}");
        Assert.Equal(["bad-init", "exploding-gradients", "dead-units", "collapsed-output"],
            doc.RootElement.GetProperty("causeChain").EnumerateArray().Select(e => e.GetString()));
        // after a diagnosis, a missed goal's next step is the doctor with the same settings
        var verdict = doc.RootElement.GetProperty("verdict");
        Assert.False(verdict.GetProperty("fitted").GetBoolean());
        Assert.StartsWith("neuralfit doctor --target \"ln(x)\" --domain 0:1 --layers 50,10 --activation relu", verdict.GetProperty("next").GetString());
        Assert.Contains("not fitted: reached r2 ", o.Stdout);
        File.Delete(path);
    }

    /// <summary>The issue's failed fit: sin(1000x) has 159 periods on [0, 1]; the fit says so, in one line, with what to run next.</summary>
    [Fact]
    public void AFailedFitPrintsItsVerdictAndTheNextCommand()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.json");
        var o = CliRunner.Run("fit", "--target", "sin(1000*x)", "--domain", "0:1", "--max-seconds", "1", "--json", path);
        Assert.True(o.ExitCode == 0, o.All); // no goal was requested: the default goal's miss is reported, not an error
        var line = o.Stdout.Split('\n').Single(l => l.StartsWith("not fitted: "));
        Assert.Matches(@"^not fitted: reached r2 -?[0-9.e-]+, mse [0-9.e-]+, max \|error\| [0-9.e-]+ on 1,000 grid points of 0:1; wanted r2 ≥ 0.9999 on the evaluation; next: neuralfit diagnose --target ""sin\(1000\*x\)"" --domain 0:1 --max-seconds 1$", line);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var verdict = doc.RootElement.GetProperty("verdict");
        Assert.False(verdict.GetProperty("fitted").GetBoolean());
        foreach (var key in new[] { "goal", "achieved", "next" }) Assert.False(string.IsNullOrEmpty(verdict.GetProperty(key).GetString()), key);
        Assert.Equal("grid", doc.RootElement.GetProperty("evaluation").GetProperty("sampling").GetString());
        File.Delete(path);
    }

    [Fact]
    public void SeedRejectsABadSeedCount() => CliRunner.AssertCleanError(CliRunner.Run("seed", "--seeds", "0"), "--seeds");
}
