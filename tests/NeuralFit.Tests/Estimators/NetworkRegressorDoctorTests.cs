using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Estimators;
using NeuralFit.Networks;
using NeuralFit.Training;

namespace NeuralFit.Tests.Estimators;

/// <summary>The doctor from C#: <see cref="NetworkRegressor.Doctor(CancellationToken)"/> and its array overloads.</summary>
public class NetworkRegressorDoctorTests
{
    /// <summary>The classic question's network, set from the library: 1-50-10-1 ReLU, weights and biases from U[0, 1),
    /// plain SGD at 0.01, no normalisation; it answers a constant.</summary>
    static FitOptions Question(FitOptions start) => start with
    {
        Layers = [50, 10], Activation = Activation.Relu,
        Init = new InitSpec(InitKind.Uniform, 0, 1), BiasInit = new InitSpec(InitKind.Uniform, 0, 1),
        Optimizer = OptimizerKind.Sgd, LearningRate = 0.01, BatchSize = 50, Normalize = NormalizeMode.None, Seed = 1,
    };

    /// <summary>ln(x) on 200 even points of [0.01, 1].</summary>
    static (double[,] X, double[] Y) LnSamples()
    {
        const int n = 200;
        var x = new double[n, 1];
        var y = new double[n];
        for (int i = 0; i < n; i++) { x[i, 0] = 0.01 + 0.99 * i / (n - 1); y[i] = Math.Log(x[i, 0]); }
        return (x, y);
    }

    [Fact]
    public void TheQuestionsTargetIsRepairedAndTheFinalOptionsRefitWhatTheDoctorKept()
    {
        var options = Question(FitOptions.ForTarget("ln(x)", new Interval(0, 1))) with
        {
            Steps = 10000, Sampler = SamplerKind.FreshUniform, EvalDomain = [new Interval(0.01, 1)],
        };
        var report = new NetworkRegressor(options).Doctor();

        Assert.True(report.Fits, report.Verdict.Line);
        Assert.False(report.Interrupted);
        Assert.True(report.KeptNetwork);
        Assert.NotEmpty(report.Rounds);
        Assert.Equal(FindingCodes.BadInit, report.Rounds[0].CauseChain[0].Code);
        foreach (var round in report.Rounds)
        {
            var kept = Assert.Single(round.Replays, r => r.Kept);
            Assert.Same(kept, round.Kept);
            Assert.Equal("kept", kept.Verdict);
            Assert.Equal(round.Replays.Where(r => r.Works).Min(r => r.Evaluation.Mse), kept.Evaluation.Mse);
            Assert.True(kept.Evaluation.Mse < round.Before.Mse);
        }
        Assert.Equal(report.Rounds[^1].Kept!.Evaluation.Mse, report.Final.Fit.Evaluation.Mse);
        Assert.NotEmpty(report.Change);
        Assert.DoesNotContain("target", report.Change.Keys);

        var refit = new NetworkRegressor(report.FinalOptions).Fit();
        Assert.Equal(report.Final.Fit.Evaluation.Mse, refit.Fit!.Evaluation.Mse);
        Assert.True(refit.Fit.Verdict.Fitted, refit.Fit.Verdict.Line);
        Assert.Equal([50, 10], report.FinalOptions.Layers);
    }

    [Fact]
    public void TheQuestionsNetworkOnArraysIsRepairedAndTheFinalOptionsFitTheSameArrays()
    {
        var (x, y) = LnSamples();
        var report = new NetworkRegressor(Question(new FitOptions()) with { Steps = 2000 }).Doctor(x, y);

        Assert.True(report.Fits, report.Verdict.Line);
        Assert.NotNull(report.Rounds[0].Kept);
        Assert.False(report.Rounds[0].Before.R2 > 0.5, $"the planted fault fits: r2 {report.Rounds[0].Before.R2}");
        Assert.Null(report.FinalOptions.Data); // the arrays are no option: the same arrays are given again
        foreach (var (key, value) in report.Change)
            Assert.Equal(value, ConfigReader.ToJson(report.FinalOptions)[key]?.ToJsonString());

        var refit = new NetworkRegressor(report.FinalOptions).Fit(x, y);
        Assert.Equal(report.Final.Fit.Evaluation.Mse, refit.Fit!.Evaluation.Mse);
        Assert.True(refit.Fit.Verdict.Fitted, refit.Fit.Verdict.Line);
        Assert.Equal(refit.Predict(x), RegressionModel.Of(report.Final.Fit).Predict(x)); // the doctor's own model, no refit needed
    }

    [Fact]
    public void AFitThatIsGoodAlreadyNeedsNoRound()
    {
        var (x, y) = LnSamples();
        var options = new FitOptions { Layers = [8], Activation = Activation.Tanh, Optimizer = OptimizerKind.Lm, Steps = 60, Seed = 3 };
        var report = new NetworkRegressor(options).Doctor(x, y);

        Assert.True(report.Fits, report.Verdict.Line);
        Assert.Empty(report.Rounds);
        Assert.Empty(report.Change);
        Assert.True(report.KeptNetwork);
        Assert.Equal(new NetworkRegressor(options).Fit(x, y).Fit!.Evaluation.Mse, report.Final.Fit.Evaluation.Mse);
    }

    [Fact]
    public void CancelledBeforeItStartsItReturnsTheStoppedRunAsDiagnoseDoes()
    {
        var (x, y) = LnSamples();
        var regressor = new NetworkRegressor(Question(new FitOptions()) with { Steps = 2000 });
        var cancelled = new CancellationToken(canceled: true);
        var report = regressor.Doctor(x, y, cancelled);
        var diagnosis = regressor.Diagnose(x, y, cancelled);

        Assert.True(report.Interrupted);
        Assert.Empty(report.Rounds);
        Assert.Equal(StopReason.Cancelled, report.Final.Fit.StopReason);
        Assert.Equal(diagnosis.Fit.StopReason, report.Final.Fit.StopReason);
        Assert.Equal(diagnosis.Fit.Evaluation.Mse, report.Final.Fit.Evaluation.Mse);
    }

    [Fact]
    public void SeveralOutputsAndACheckpointAreRefusedAsDiagnoseRefusesThem()
    {
        var (x, _) = LnSamples();
        var two = new double[x.GetLength(0), 2];
        var e = Assert.Throws<InputError>(() => new NetworkRegressor().Doctor(x, two));
        Assert.Contains("doctor with one column of y", e.Message);
        var checkpointed = FitOptions.ForTarget("x", new Interval(0, 1)) with { Checkpoint = "c.json" };
        Assert.StartsWith("FitOptions.Checkpoint", Assert.Throws<InputError>(() => new NetworkRegressor(checkpointed).Doctor()).Message);
    }
}
