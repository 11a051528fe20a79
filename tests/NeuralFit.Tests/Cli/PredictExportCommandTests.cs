using System.Globalization;
using System.Text.Json;

namespace NeuralFit.Tests.Cli;

/// <summary>fit --out, then predict and export through the command, as a user runs them.</summary>
public class PredictExportCommandTests : IClassFixture<PredictExportCommandTests.FittedModelFolder>
{
    /// <summary>One short fit with --out, shared by the tests of this class.</summary>
    public sealed class FittedModelFolder : IDisposable
    {
        public string Dir { get; } = Directory.CreateTempSubdirectory("nf-predict-").FullName;

        public FittedModelFolder()
        {
            var o = CliRunner.RunIn(Dir, "fit", "--target", "x1*x2 + sin(x1)", "--domain", "-1:1", "--domain", "0:2", "--steps", "300", "--seed", "2", "--out", "m.json", "--quiet");
            Assert.True(o.ExitCode == 0, o.All);
            Assert.True(File.Exists(Path.Combine(Dir, "m.json")), "no model file");
        }

        public void Dispose() => Directory.Delete(Dir, recursive: true);
    }

    readonly string _dir;

    public PredictExportCommandTests(FittedModelFolder folder) => _dir = folder.Dir;

    [Fact]
    public void PredictPrintsOneLinePerPointAndWritesTheDesignJson()
    {
        var o = CliRunner.RunIn(_dir, "predict", "--model", "m.json", "--x", "0.5,1", "--x", "-0.25,0.5", "--json", "p.json");
        Assert.True(o.ExitCode == 0, o.All);
        var lines = o.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("0.5\t1\t", lines[0]);
        Assert.StartsWith("-0.25\t0.5\t", lines[1]);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "p.json")));
        var first = doc.RootElement.GetProperty("predictions")[0];
        Assert.Equal([0.5, 1.0], first.GetProperty("x").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal(double.Parse(lines[0].Split('\t')[2], CultureInfo.InvariantCulture), first.GetProperty("y").GetDouble(), 1e-8);
    }

    [Fact]
    public void PredictReadsCsvColumnsByNameAndIgnoresTheRest()
    {
        File.WriteAllText(Path.Combine(_dir, "points.csv"), "id,x2,x1,note\n1,1,0.5,a\n2,0.5,-0.25,\"b, c\"\n");
        var csv = CliRunner.RunIn(_dir, "predict", "--model", "m.json", "--data", "points.csv");
        var flags = CliRunner.RunIn(_dir, "predict", "--model", "m.json", "--x", "0.5,1", "--x", "-0.25,0.5");
        Assert.True(csv.ExitCode == 0, csv.All);
        Assert.Equal(flags.Stdout, csv.Stdout);
    }

    [Fact]
    public void ExportedOnnxPredictsWhatTheJsonModelPredicts()
    {
        var export = CliRunner.RunIn(_dir, "export", "--model", "m.json", "--onnx", "m.onnx", "--csharp", "Model.cs");
        Assert.True(export.ExitCode == 0, export.All);
        Assert.Contains("ONNX opset 13", export.Stdout);
        Assert.Contains("public static double Predict(double x1, double x2)", File.ReadAllText(Path.Combine(_dir, "Model.cs")));
        var json = CliRunner.RunIn(_dir, "predict", "--model", "m.json", "--x", "0.3,1.7", "--x", "-1,0", "--json", "a.json");
        var onnx = CliRunner.RunIn(_dir, "predict", "--model", "m.onnx", "--x", "0.3,1.7", "--x", "-1,0", "--json", "b.json");
        Assert.True(onnx.ExitCode == 0, onnx.All);
        double[] Ys(string file) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, file))).RootElement.GetProperty("predictions")
            .EnumerateArray().Select(p => p.GetProperty("y").GetDouble()).ToArray();
        var (a, b) = (Ys("a.json"), Ys("b.json"));
        for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5 * Math.Max(1, Math.Abs(a[i])), $"{a[i]} vs {b[i]}");
    }

    [Theory]
    [InlineData("--x 0.5", "takes 2 inputs (x1, x2), got 1 value")]
    [InlineData("--x 0.5,abc", "'abc' is not a number")]
    [InlineData("--data missing.csv", "does not exist")]
    [InlineData("", "give the points")]
    public void BadPredictInputIsACleanError(string flags, string mention) =>
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, ["predict", "--model", "m.json", .. flags.Split(' ', StringSplitOptions.RemoveEmptyEntries)]), mention);

    [Fact]
    public void CsvWithoutTheInputColumnsIsACleanError()
    {
        File.WriteAllText(Path.Combine(_dir, "bad.csv"), "a,b\n1,2\n");
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, "predict", "--model", "m.json", "--data", "bad.csv"), "no column 'x1'");
    }

    [Fact]
    public void DamagedModelFilesAreCleanErrors()
    {
        File.WriteAllText(Path.Combine(_dir, "broken.json"), File.ReadAllText(Path.Combine(_dir, "m.json")).Replace("\"formatVersion\": 1", "\"formatVersion\": 7"));
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, "predict", "--model", "broken.json", "--x", "0,0"), "newer NeuralFit");
        File.WriteAllBytes(Path.Combine(_dir, "broken.onnx"), [0x08, 0x07, 0x12, 0xff, 0x01]);
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, "predict", "--model", "broken.onnx", "--x", "0,0"), "ONNX Runtime cannot load it");
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, "predict", "--model", "nothing.json", "--x", "0,0"), "does not exist");
        CliRunner.AssertCleanError(CliRunner.RunIn(_dir, "export", "--model", "m.json"), "--onnx");
    }
}
