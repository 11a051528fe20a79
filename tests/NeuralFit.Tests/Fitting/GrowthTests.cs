using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Networks;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Fitting;

/// <summary>A fit left to NeuralFit grows while its goal is missed and time is left, and stops at either.</summary>
public class GrowthTests
{
    /// <summary>x² to a max error of 3e-6: the first stage stops at its loss goal (about 1.5e-5); the next goes on to a lower
    /// one and meets the goal, and no stage follows.</summary>
    [Fact]
    public void GrowthStopsAtTheGoal()
    {
        var r = FitRunner.Run(FitOptions.ForTarget("x^2", new Interval(-1, 1)) with { GoalMaxError = 3e-6 });
        Assert.True(r.Verdict.Fitted, r.Verdict.Line);
        Assert.True(r.Stages.Count >= 2, $"{r.Stages.Count} stages");
        Assert.True(r.Evaluation.MaxAbsError <= 3e-6);
        Assert.Equal(r.Stages[^1].Metric, r.Evaluation.R2); // the last stage met the goal and is the model
    }

    [Fact]
    public void GrowthStopsAtTheBudget()
    {
        var r = FitRunner.Run(FitOptions.ForTarget("sin(1000*x)", new Interval(0, 1)) with { MaxSeconds = 1 });
        Assert.False(r.Verdict.Fitted);
        // every stage stops at what is left of the budget; one lm iteration and the evaluation may run over it, by
        // seconds on a loaded machine; a budget not kept is the default's 30 s (Defaults.GrowthSeconds)
        Assert.True(r.WallSeconds < 15, $"{r.WallSeconds:F2} s");
        Assert.Equal(1, r.Config.MaxSeconds);
    }

    /// <summary>The user's network keeps its layers; only its points, when NeuralFit chose them, are refined where the error is.</summary>
    [Fact]
    public void TheUsersNetworkIsNeverGrown()
    {
        var r = FitRunner.Run(FitOptions.ForTarget("sin(1000*x)", new Interval(0, 1)) with { Layers = [6], Steps = 5 });
        Assert.All(r.Stages, s => Assert.Equal([6], s.Layers));
        Assert.True(r.Stages.Count is 0 or >= 2);
        Assert.Equal([6], r.Model.Shape.Hidden);
        var given = FitRunner.Run(FitOptions.ForTarget("sin(1000*x)", new Interval(0, 1)) with { Layers = [6], Steps = 5, Samples = 300 });
        Assert.Empty(given.Stages); // points the user gave are kept
        Assert.Equal(300, given.Config.Samples);
    }

    /// <summary>A fit that grew (here the user's network, refined on new points after its solver stopped at its iteration
    /// cap) saved by the doctor reruns to the same model: the saved settings repeat the growth.</summary>
    [Fact]
    public void AGrownRunsSavedConfigurationReproducesIt()
    {
        var r = FitRunner.Run(FitOptions.ForTarget("sin(6*x)", new Interval(0, 1)) with { Layers = [4], Steps = 8 });
        Assert.True(r.Stages.Count >= 2, $"{r.Stages.Count} stages");
        var outcome = new NeuralFit.Diagnostics.RunOutcome(r.Config, r.Evaluation, r.StopReason, r.WallSeconds, r.MissedGoal, [], [])
            { Verdict = r.Verdict, Grown = NeuralFit.Diagnostics.RunOutcome.Grew(r) };
        var saved = new NeuralFit.Diagnostics.DoctorResult([], outcome, outcome, Fits: true).SavedConfig;
        var rerun = FitRunner.Run(ConfigReader.FromJson(saved.ToJsonString(), "saved", new FitOptions()));
        Assert.Equal(r.Stages.Count, rerun.Stages.Count);
        Assert.Equal(r.Model.ParametersAsDouble(), rerun.Model.ParametersAsDouble());
        Assert.Equal(r.Config.Samples, rerun.Config.Samples);
    }

    /// <summary>New units send zero to the layer above: the wider network computes exactly what the narrower one did.</summary>
    [Fact]
    public void WideningKeepsTheFunction()
    {
        var narrow = new NetworkShape(3, [5, 4], 1, Activation.Tanh);
        var wide = new NetworkShape(3, [8, 7], 1, Activation.Tanh);
        var rng = new Rng(5);
        var theta = Enumerable.Range(0, narrow.ParameterCount).Select(_ => rng.NextGaussian()).ToArray();
        var widened = Widening.Widen(narrow, wide, theta, new Rng(6));
        var x = Enumerable.Range(0, 30).Select(_ => 2 * rng.NextDouble() - 1).ToArray();
        var a = Predict(narrow, theta, x);
        var b = Predict(wide, widened, x);
        for (int i = 0; i < a.Length; i++) Assert.Equal(a[i], b[i], 1e-12);
        Assert.Contains(widened, v => v != 0 && !theta.Contains(v)); // the new units are not blank
    }

    static double[] Predict(NetworkShape shape, double[] theta, double[] x) =>
        new FittedModel<double>(new Mlp<double>(shape, theta), NeuralFit.Preprocessing.Normalization.None(shape.Inputs)).Predict(x);
}
