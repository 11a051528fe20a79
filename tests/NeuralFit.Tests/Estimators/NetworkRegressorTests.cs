using NeuralFit.Configuration;
using NeuralFit.Estimators;

namespace NeuralFit.Tests.Estimators;

/// <summary>The array estimator: fit on x (samples, inputs) and y, predict, save and load the model file, diagnose.</summary>
public class NetworkRegressorTests
{
    /// <summary>A small network on the solver, so that each fit takes a fraction of a second.</summary>
    static readonly FitOptions Small = new() { Layers = [8], Optimizer = OptimizerKind.Lm, Steps = 40, Seed = 3 };

    /// <summary>y = sin(2 x1) + x2 / 2 on 150 points of [-1, 1]².</summary>
    static (double[,] X, double[] Y) Samples()
    {
        var rng = new NeuralFit.Sampling.Rng(5);
        var x = new double[150, 2];
        var y = new double[150];
        for (int i = 0; i < y.Length; i++)
        {
            x[i, 0] = 2 * rng.NextDouble() - 1;
            x[i, 1] = 2 * rng.NextDouble() - 1;
            y[i] = Math.Sin(2 * x[i, 0]) + x[i, 1] / 2;
        }
        return (x, y);
    }

    [Fact]
    public void FitsArraysAndPredictsRows()
    {
        var (x, y) = Samples();
        var model = new NetworkRegressor(Small).Fit(x, y);
        Assert.Equal(["x1", "x2"], model.InputNames);
        Assert.Equal([8], model.Fit!.Model.Shape.Hidden);
        Assert.True(model.Fit.Evaluation.R2 > 0.99, $"r2 {model.Fit.Evaluation.R2}");
        var predicted = model.Predict(x);
        Assert.Equal(y.Length, predicted.Length);
        Assert.Equal(predicted[7], model.Predict(x[7, 0], x[7, 1]));
        Assert.InRange(model.Predict(0.3, -0.4) - (Math.Sin(0.6) - 0.2), -0.05, 0.05);
        var beyond = model.Predict(new double[,] { { 0.5, 0.5 }, { 3, 0 } }, out var outside);
        Assert.Equal(2, beyond.Length);
        Assert.Equal([false, true], outside.Outside);
        Assert.Equal(1, outside.WorstPoint);
    }

    [Fact]
    public void TheModelFileSavedIsTheOneLoadedAndTheCommandReads()
    {
        var (x, y) = Samples();
        var model = new NetworkRegressor(Small).Fit(x, y);
        string folder = Directory.CreateTempSubdirectory("nf-estimator-").FullName, path = Path.Combine(folder, "m.json");
        model.Save(path);
        var loaded = RegressionModel.Load(path);
        Assert.Null(loaded.Fit);
        Assert.Equal(model.Predict(x), loaded.Predict(x));
        Assert.Equal(2, loaded.TrainingRanges.Count);
        Assert.Contains("neuralfit-model", File.ReadAllText(path));
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void FloatSpanAndColumnOverloadsFitTheSameModel()
    {
        var (x, y) = Samples();
        var narrow = new float[x.GetLength(0), 2];
        var narrowY = new float[y.Length];
        var wide = new double[x.GetLength(0), 2];
        var wideY = new double[y.Length];
        var flat = new double[x.Length];
        var column = new double[y.Length, 1];
        for (int i = 0; i < y.Length; i++)
        {
            for (int k = 0; k < 2; k++) { narrow[i, k] = (float)x[i, k]; wide[i, k] = narrow[i, k]; flat[i * 2 + k] = narrow[i, k]; }
            narrowY[i] = (float)y[i];
            wideY[i] = column[i, 0] = narrowY[i];
        }
        var regressor = new NetworkRegressor(Small);
        var reference = regressor.Fit(wide, wideY).Predict(wide);
        Assert.Equal(reference, regressor.Fit(wide, column).Predict(wide));
        Assert.Equal(reference, regressor.Fit(flat, wideY).Predict(wide));
        Assert.Equal(reference.Select(v => (float)v), regressor.Fit(narrow, narrowY).Predict(narrow));
    }

    [Fact]
    public void TheEffectiveOptionsRerunTheSameFit()
    {
        var (x, y) = Samples();
        var first = new NetworkRegressor(Small).Fit(x, y);
        var options = first.Fit!.EffectiveOptions;
        Assert.Equal([8], options.Layers);
        Assert.NotNull(options.Normalize); // NeuralFit's choices are filled in
        Assert.Equal(first.Predict(x), new NetworkRegressor(options).Fit(x, y).Predict(x));
    }

    [Fact]
    public void AYOfNoColumnsOrOfAnotherRowCountIsRefused()
    {
        var (x, _) = Samples();
        Assert.Throws<ArgumentException>(() => new NetworkRegressor(Small).Fit(x, new double[x.GetLength(0), 0]));
        Assert.Contains("give one row of x per row of y", Assert.Throws<ArgumentException>(() => new NetworkRegressor(Small).Fit(x, new double[x.GetLength(0) - 1, 2])).Message);
    }

    [Fact]
    public void BadArraysAndOptionsForAnotherTargetAreRefused()
    {
        var (x, y) = Samples();
        var regressor = new NetworkRegressor(Small);
        Assert.Contains("x has 150 rows but y has 149 values", Assert.Throws<ArgumentException>(() => regressor.Fit(x, y[..149])).Message);
        var holed = (double[,])x.Clone();
        holed[4, 1] = double.NaN;
        Assert.Contains("x[4, 1] is NaN", Assert.Throws<ArgumentException>(() => regressor.Fit(holed, y)).Message);
        var e = Assert.Throws<InputError>(() => new NetworkRegressor(Small with { Target = "x" }).Fit(x, y));
        Assert.StartsWith("FitOptions.Target describes a target", e.Message);
        var model = regressor.Fit(x, y);
        Assert.Contains("the model takes 2 inputs", Assert.Throws<ArgumentException>(() => model.Predict(new double[3, 1])).Message);
    }

    [Fact]
    public void DiagnoseTakesTheSameArrays()
    {
        var (x, y) = Samples();
        var d = new NetworkRegressor(Small with { Layers = [1], Steps = 3 }).Diagnose(x, y);
        Assert.False(d.Fit.Verdict.Fitted, d.Fit.Verdict.Line);
        Assert.NotEmpty(d.Findings); // one unit for a sine and a slope: at least a plateau
        Assert.Contains("next: Diagnose(x, y) on the same arrays", d.Fit.Verdict.Line); // not a command line for a file that does not exist
    }
}
