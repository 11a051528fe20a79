using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Persistence;
using NeuralFit.Tests.Cli;

namespace NeuralFit.Tests.Persistence;

/// <summary>predict says when points lie outside the ranges a model was trained on: once, with the count and the worst distance.</summary>
public class ExtrapolationTests
{
    static readonly Interval[] Box = [new(0, 1), new(-10, 10)];

    [Fact]
    public void PointsOutsideAreCountedAndTheFarthestIsMeasuredInRangeWidths()
    {
        double[] x = [0.5, 0, /**/ 1.5, 0, /**/ 0.5, 25, /**/ -0.1, -11, /**/ 1, 10];
        var e = Extrapolation.Check(Box, x);
        Assert.Equal([false, true, true, true, false], e.Outside);
        Assert.Equal(3, e.Count);
        // 1.5 is 0.5 widths beyond 0:1, 25 is 0.75 widths beyond -10:10: the latter is the farthest
        Assert.Equal((2, 1, 15.0, 0.75), (e.WorstPoint, e.WorstInput, e.WorstDistance, e.WorstWidths));
        Assert.Equal("3 of 5 points lie outside the training ranges; the farthest: (0.5, 25) is 15 beyond b's range -10:10 (0.75 range widths); " +
                     "predictions there are extrapolations, not fitted values", e.Warning(["a", "b"], Box, x));
    }

    [Fact]
    public void InsideOrUnknownRangesFindNothing()
    {
        Assert.Null(Extrapolation.Check(Box, [0, -10, 1, 10]).Warning(["a", "b"], Box, [0, -10, 1, 10]));
        Assert.Equal(0, Extrapolation.Check([], [5.0, 7]).Count);
    }

    [Fact]
    public void TheLibraryAndTheCommandWarnOnceAndFlagEachPoint()
    {
        var dir = Directory.CreateTempSubdirectory("nf-extrapolation-").FullName;
        try
        {
            var fit = FitRunner.Run(new RunConfig { Target = "ln(x)", Domain = [new Interval(0.01, 1)], Layers = [8], Steps = 30 });
            var saved = fit.ToSavedModel();
            var p = saved.Predict([0.5, 2, 1.2]);
            Assert.Equal([false, true, true], p.Extrapolation.Outside);
            Assert.Equal(fit.Model.Predict([0.5, 2, 1.2]), p.Y);
            ModelFile.Save(saved, Path.Combine(dir, "ln.json"));

            var o = CliRunner.RunIn(dir, "predict", "--model", "ln.json", "--x", "0.5", "--x", "2", "--x", "1.2", "--json", "p.json");
            Assert.True(o.ExitCode == 0, o.All);
            Assert.Equal("neuralfit: warning: 2 of 3 points lie outside the training range; the farthest: x = 2 is 1 beyond x's range 0.01:1 (1.01 range widths); " +
                         "predictions there are extrapolations, not fitted values", o.Stderr.Trim());
            var points = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "p.json")))!["predictions"]!.AsArray();
            Assert.Equal([false, true, true], points.Select(q => q!["outsideTrainingRange"]?.GetValue<bool>() ?? false));

            Assert.Equal("", CliRunner.RunIn(dir, "predict", "--model", "ln.json", "--x", "0.01", "--x", "1").Stderr);

            // the exported ONNX file carries the domain too
            Assert.Equal(0, CliRunner.RunIn(dir, "export", "--model", "ln.json", "--onnx", "ln.onnx").ExitCode);
            Assert.Contains("the point lies outside the training range: x = 3", CliRunner.RunIn(dir, "predict", "--model", "ln.onnx", "--x", "3").Stderr);

            // a model file written before domains were kept (or by hand) still loads and predicts, silently
            var old = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "ln.json")))!.AsObject();
            old.Remove("domain");
            File.WriteAllText(Path.Combine(dir, "old.json"), old.ToJsonString());
            var quiet = CliRunner.RunIn(dir, "predict", "--model", "old.json", "--x", "2");
            Assert.True(quiet.ExitCode == 0 && quiet.Stderr == "", quiet.All);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ADataFitKeepsEachInputsRangeInTheModelFile()
    {
        var dir = Directory.CreateTempSubdirectory("nf-extrapolation-data-").FullName;
        try
        {
            var rows = Enumerable.Range(0, 120).Select(i => (a: i / 119.0 * 4 - 2, b: (i * 37 % 120) / 119.0 * 3));
            File.WriteAllText(Path.Combine(dir, "d.csv"), "a,b,y\n" + string.Concat(rows.Select(r => FormattableString.Invariant($"{r.a},{r.b},{r.a + r.b}\n"))));
            var fit = CliRunner.RunIn(dir, "fit", "--data", "d.csv", "--steps", "20", "--out", "m.json", "--quiet");
            Assert.True(fit.ExitCode == 0, fit.All);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "m.json")));
            Assert.Equal(["-2:2", "0:3"], doc.RootElement.GetProperty("domain").EnumerateArray().Select(e => e.GetString()));
            var o = CliRunner.RunIn(dir, "predict", "--model", "m.json", "--x", "0,1", "--x", "0,4.5");
            Assert.Contains("1 of 2 points lies outside the training ranges; it: (0, 4.5) is 1.5 beyond b's range 0:3 (0.5 range widths)", o.Stderr);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
