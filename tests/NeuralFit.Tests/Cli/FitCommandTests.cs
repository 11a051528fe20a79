using System.Text.Json;

namespace NeuralFit.Tests.Cli;

public class FitCommandTests
{
    [Theory]
    [InlineData("ln(x", "column")]
    [InlineData("lnn(x)", "did you mean 'ln'")]
    public void BadExpressionsAreCleanErrors(string target, string mention) =>
        CliRunner.AssertCleanError(CliRunner.Run("fit", "--target", target, "--domain", "0:1", "--steps", "10"), mention);

    [Theory]
    [InlineData("--domain", "1:0", "empty")]
    [InlineData("--domain", "0:abc", "not a number")]
    [InlineData("--layers", "50,0", "at least one unit")]
    [InlineData("--lr", "-0.1", "> 0")]
    [InlineData("--lr", "fast", "expected a number")]
    [InlineData("--batch", "0", "at least 1")]
    [InlineData("--activation", "rellu", "did you mean 'relu'")]
    [InlineData("--init", "uniform:1", "takes 2")]
    [InlineData("--no-such-flag", "3", "unknown option '--no-such-flag'")]
    [InlineData("--lrr", "0.1", "did you mean '--lr'")]
    public void BadFlagsAreCleanErrors(string flag, string value, string mention) =>
        CliRunner.AssertCleanError(CliRunner.Run("fit", "--target", "ln(x)", "--domain", "0.01:1", "--steps", "10", flag, value), mention);

    [Fact]
    public void MissingConfigFileIsACleanError() =>
        CliRunner.AssertCleanError(CliRunner.Run("fit", "--config", "/no/such/run.json"), "does not exist");

    [Theory]
    [InlineData("{ \"target\": \"ln(x)\", ", "not valid JSON")]
    [InlineData("{ \"target\": \"ln(x)\", \"learningRte\": 0.1 }", "did you mean 'learningRate'")]
    [InlineData("{ \"target\": \"ln(x)\", \"layers\": \"wide\" }", "layers")]
    [InlineData("{ \"target\": \"ln(x)\", \"steps\": -5 }", "steps")]
    [InlineData("[1, 2]", "JSON object")]
    public void MalformedConfigFilesAreCleanErrors(string json, string mention)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try { CliRunner.AssertCleanError(CliRunner.Run("fit", "--config", path), mention); }
        finally { File.Delete(path); }
    }

    [Fact]
    public void FlagsOverrideTheConfigFileAndTheResultJsonHasTheContractKeys()
    {
        var dir = Directory.CreateTempSubdirectory("nf-").FullName;
        File.WriteAllText(Path.Combine(dir, "run.json"), """{ "target": "sin(3*x)", "domain": "-1:1", "steps": 50000, "layers": [8], "optimizer": "adam", "seed": 3 }""");
        var o = CliRunner.RunIn(dir, "fit", "--config", "run.json", "--steps", "200", "--json", "result.json");
        Assert.True(o.ExitCode == 0, o.All);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "result.json")));
        var r = doc.RootElement;
        foreach (var key in new[] { "config", "steps", "wallSeconds", "stepsPerSecond", "evaluation", "history" })
            Assert.True(r.TryGetProperty(key, out _), $"result lacks {key}");
        foreach (var key in new[] { "domain", "points", "mse", "rmse", "maxAbsError", "r2", "outputMean", "outputStd", "targetMean", "targetStd" })
            Assert.True(r.GetProperty("evaluation").TryGetProperty(key, out _), $"evaluation lacks {key}");
        Assert.Equal(200, r.GetProperty("steps").GetInt32());
        Assert.Equal(200, r.GetProperty("config").GetProperty("steps").GetInt32());
        Assert.Equal("sin(3*x)", r.GetProperty("config").GetProperty("target").GetString());
        Assert.Equal(8, r.GetProperty("config").GetProperty("layers")[0].GetInt32());
    }

    [Fact]
    public void HelpDescribesEveryFlag()
    {
        var o = CliRunner.Run("fit", "--help");
        Assert.Equal(0, o.ExitCode);
        foreach (var setting in NeuralFit.Configuration.Settings.All)
            Assert.Contains(setting.Flag, o.Stdout);
    }

    [Fact]
    public void UnreachableGoalExitsWithOne()
    {
        var o = CliRunner.Run("fit", "--target", "sin(5*x)", "--domain", "0:1", "--steps", "5", "--goal-mse", "1e-12", "--max-seconds", "1");
        Assert.Equal(1, o.ExitCode);
        Assert.Contains("not fitted: ", o.Stdout);
        Assert.Contains("wanted mse ≤ 1e-12 on the evaluation", o.Stdout);
        Assert.Contains("next: neuralfit diagnose --target \"sin(5*x)\" --domain 0:1 --steps 5 --goal-mse 1e-12 --max-seconds 1", o.Stdout);
    }
}
