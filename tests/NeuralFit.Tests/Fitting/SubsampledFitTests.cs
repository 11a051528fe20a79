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
            Assert.False(SubsampledFit.Applies(given, completed, problem, 4000)); // P·N = 1e5, within L-BFGS's budget

            var (result, first) = SubsampledFit.Run(completed, problem, new FitHooks(), default);
            Assert.Equal(2500, first.Samples);
            Assert.InRange(result.Config.Steps, 20, 40);
            Assert.Contains(result.Notes, n => n.Contains("random 2,500 of the 2,890 training rows", StringComparison.Ordinal));
            Assert.True(result.Evaluation.R2 > 0.99, $"r2 {result.Evaluation.R2}");
            Assert.True(result.Evaluation.R2 >= first.Metric - 1e-3, $"every row ({result.Evaluation.R2}) lost to the subsample ({first.Metric})");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
