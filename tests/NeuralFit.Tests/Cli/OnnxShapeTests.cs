using NeuralFit.Tests.Persistence;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// An ONNX file from elsewhere must give one prediction per point: one whose declared or actual output has another
/// shape is refused in one line of NeuralFit's own, with nothing from ONNX Runtime's log on stderr.
/// </summary>
public class OnnxShapeTests
{
    static CliRunner.Outcome Predict(byte[] onnx, params string[] points)
    {
        string dir = Directory.CreateTempSubdirectory("nf-onnx-").FullName;
        File.WriteAllBytes(Path.Combine(dir, "m.onnx"), onnx);
        return CliRunner.RunIn(dir, ["predict", "--model", "m.onnx", .. points.SelectMany(p => new[] { "--x", p })]);
    }

    [Fact]
    public void ADeclaredOutputOfThreeColumnsThatGivesOneIsRefused() =>
        CliRunner.AssertCleanError(Predict(OnnxShapes.Model([null, 1], [null, 3]), "0.5"), "m.onnx: the model gave an output of shape (1, 1) for 1 points; expected (1, 3)");

    [Fact]
    public void AnOutputDeclaredOfAnotherRowCountIsRefused() =>
        CliRunner.AssertCleanError(Predict(OnnxShapes.Model([4, 1], [3, 1]), "0.5"), "m.onnx: output 'y' is declared of shape (3, 1) for an input of shape (4, 1)");

    /// <summary>Transposed, the output has as many numbers as points, but not one per row: no longer accepted silently.</summary>
    [Fact]
    public void AnOutputOfTheWrongShapeIsRefusedWhenItComes() =>
        CliRunner.AssertCleanError(Predict(OnnxShapes.Model([null, 1], [1, null], "Transpose"), "0.5", "0.7"), "m.onnx: the model gave an output of shape (1, 2) for 2 points");

    [Fact]
    public void AModelOfAFixedBatchGetsItsBatchAndAllPointsArePredicted()
    {
        var o = Predict(OnnxShapes.Model([4, 1], [4, 1]), "0.5", "0.25", "1", "2", "3", "4");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Equal(["0.5\t0.5", "0.25\t0.25", "1\t1", "2\t2", "3\t3", "4\t4"], o.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", o.Stderr);
    }
}
