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
        File.Delete(path);
    }

    [Fact]
    public void SeedRejectsABadSeedCount() => CliRunner.AssertCleanError(CliRunner.Run("seed", "--seeds", "0"), "--seeds");
}
