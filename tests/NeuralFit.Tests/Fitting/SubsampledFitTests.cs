using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Fitting;

/// <summary>L-BFGS on a data file too large for its iterations: a subsample first, then every row from there.</summary>
public class SubsampledFitTests
{
    [Fact]
    public void BeyondTheBudgetADataFileGetsLbfgsWhileASubsamplePinsTheParametersDown()
    {
        Assert.Equal(OptimizerKind.Adam, Defaults.Solver(321, 1_000_000)); // an expression's samples: no subsample
        Assert.Equal(OptimizerKind.Lbfgs, Defaults.Solver(321, 1_000_000, subsample: true));
        Assert.Equal(32_100, Defaults.SubsampleRows(321));
        // 3000 parameters: the budget allows 16 666 rows, fewer than 10 per parameter
        Assert.Equal(OptimizerKind.Adam, Defaults.Solver(3000, 1_000_000, subsample: true));
    }

    [Fact]
    public void TheFirstStageTrainsOnTheSubsampleAndTheSecondOnEveryRowForAsMuchWork()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralfit-subsample-{Guid.NewGuid():N}.csv");
        try
        {
            var rng = new Sampling.Rng(3);
            var lines = new List<string> { "x,y" };
            for (int i = 0; i < 4000; i++)
            {
                double x = rng.Uniform(0, 2);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:R},{Math.Sin(3 * x) + 0.01 * rng.NextGaussian():R}"));
            }
            File.WriteAllLines(path, lines);
            var given = RunConfig.From(new FitOptions { Data = path, Layers = [8] });
            var completed = Defaults.Complete(given) with { Optimizer = OptimizerKind.Lbfgs, Steps = 40 };
            var problem = Problem.FromDataset(completed, Dataset.Load(completed));
            // 1-8-1: P = 25, so 2 500 rows first, of the 2 890 left for training
            Assert.Equal(2890, problem.Training.Count);
            Assert.Equal(0, completed.Subsample); // P·N = 1e5, within L-BFGS's budget: no subsample chosen
            Assert.False(SubsampledFit.Applies(completed, problem));
            completed = completed with { Subsample = Defaults.SubsampleRows(25) };
            Assert.True(SubsampledFit.Applies(completed, problem));

            var (result, first) = SubsampledFit.Run(completed, problem, new FitHooks(), default);
            Assert.Equal(2500, first.Samples);
            Assert.Equal(completed, result.Config); // the configuration as completed, so a rerun makes both stages again
            Assert.Contains(result.Notes, n => n.Contains("random 2,500 of the 2,890 training rows", StringComparison.Ordinal));
            Assert.Contains(result.Notes, n => System.Text.RegularExpressions.Regex.IsMatch(n, @"up to (2\d|3\d|40) iterations"));
            Assert.True(result.Evaluation.R2 > 0.99, $"r2 {result.Evaluation.R2}");
            Assert.True(result.Evaluation.R2 >= first.Metric - 1e-3, $"every row ({result.Evaluation.R2}) lost to the subsample ({first.Metric})");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void NeuralFitSetsTheSubsampleBeyondTheBudgetAndOnlyThere()
    {
        // 3e5 rows of one input: 1-64-1 has P = 193, and P·N = 5.8e7 passes L-BFGS's budget of 5e7 (and lm's, P²N/2 = 5.6e9)
        int n = 300_000;
        var x = new double[n, 1];
        var y = new double[n];
        for (int i = 0; i < n; i++) (x[i, 0], y[i]) = (i / (double)n, Math.Sin(i / (double)n));
        var arrays = NeuralFit.Estimators.ArrayRows.Of(x, y);
        var big = Defaults.Complete(RunConfig.From(new FitOptions { Layers = [64] }) with { Data = NeuralFit.Estimators.ArrayRows.Label, Rows = arrays });
        Assert.Equal(OptimizerKind.Lbfgs, big.Optimizer);
        Assert.Equal(19_300, big.Subsample); // 100 rows per parameter
        var given = Defaults.Complete(RunConfig.From(new FitOptions { Layers = [64], Subsample = 0 }) with { Data = NeuralFit.Estimators.ArrayRows.Label, Rows = arrays });
        Assert.Equal(0, given.Subsample); // given, it is kept: every row from the start
        Assert.Equal(0, Defaults.Complete(new FitOptions { Target = "sin(x)", Domain = [new Interval(0, 1)] }).Subsample);
        Assert.Contains("FitOptions.Subsample", Assert.Throws<InputError>(() =>
            Defaults.Complete(RunConfig.From(new FitOptions { Layers = [8], Optimizer = OptimizerKind.Adam, Subsample = 100 }) with { Data = NeuralFit.Estimators.ArrayRows.Label, Rows = arrays })).Message);
    }

    [Fact]
    public void ASubsampledFitsEffectiveOptionsRerunBothStagesToTheSameModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"neuralfit-subsample-{Guid.NewGuid():N}.csv");
        try
        {
            var rng = new Sampling.Rng(5);
            var lines = new List<string> { "x,y" };
            for (int i = 0; i < 3000; i++)
            {
                double x = rng.Uniform(0, 2);
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{x:R},{Math.Sin(3 * x) + 0.01 * rng.NextGaussian():R}"));
            }
            File.WriteAllLines(path, lines);
            var first = FitRunner.Run(new FitOptions { Data = path, Layers = [6], Optimizer = OptimizerKind.Lbfgs, Subsample = 400, Steps = 30 });
            Assert.Contains(first.Stages, s => s.Method == "lbfgs on a subsample" && s.Samples == 400);
            var options = first.EffectiveOptions;
            Assert.Equal(400, options.Subsample);
            Assert.Equal(30, options.Steps);
            var again = FitRunner.Run(options);
            Assert.Equal(first.Model.ParametersAsDouble(), again.Model.ParametersAsDouble());
            Assert.Contains(again.Stages, s => s.Method == "lbfgs on a subsample" && s.Samples == 400);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
