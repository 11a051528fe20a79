using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Reports.Plots;

/// <summary>
/// The numbers a run's plots show, in the user's units: the model and the target on the evaluation grid, their
/// difference, and a sample of the training points. Built from the run's effective configuration, which recreates
/// the same problem (same seed, same data).
/// </summary>
sealed class RunData
{
    /// <summary>At most this many training points are drawn: more only hide the curves.</summary>
    const int MaxTrainingPoints = 400;

    /// <summary>
    /// At most this many grid points are drawn (200 × 200 for two inputs): a plot is 720 pixels wide, so more show
    /// nothing more, and a grid of a million points took 18 s and 800 MB to draw. The metrics come from the run's
    /// whole evaluation grid; the plots from this one over the same range.
    /// </summary>
    public const int MaxPlotPoints = 40_000;

    public required FitResult Fit { get; init; }
    public required Problem Problem { get; init; }
    public required IReadOnlyList<Interval> Domain { get; init; }

    /// <summary>Evaluation grid, row-major (n, inputs), its targets and the model's predictions there.</summary>
    public required double[] X { get; init; }
    public required double[] Target { get; init; }
    public required double[] Prediction { get; init; }

    /// <summary>Training inputs and targets, subsampled evenly.</summary>
    public required SampleSet TrainingSample { get; init; }

    public int Inputs => Domain.Count;
    public int Count => Target.Length;

    /// <summary>prediction − target at the grid points where both are finite (NaN elsewhere).</summary>
    public double[] Error => Prediction.Select((p, i) => double.IsFinite(p) && double.IsFinite(Target[i]) ? p - Target[i] : double.NaN).ToArray();

    public static RunData For(FitResult fit)
    {
        var problem = Problem.Create(fit.Config with { EvalPoints = Math.Min(fit.Config.EvalPoints, MaxPlotPoints) });
        var grid = problem.EvaluationSet;
        if (grid.Count > MaxPlotPoints) // a data file's test rows: an even share of them
            grid = grid.Select(Enumerable.Range(0, MaxPlotPoints).Select(i => (int)((long)i * grid.Count / MaxPlotPoints)));
        var prediction = fit.Model.Predict(grid.X.AsSpan());
        var training = problem.Training;
        int take = Math.Min(MaxTrainingPoints, training.Count);
        var sample = training.Select(Enumerable.Range(0, take).Select(i => (int)((long)i * training.Count / take)));
        return new RunData
        {
            Fit = fit,
            Problem = problem,
            Domain = fit.Config.EffectiveEvalDomain,
            X = grid.X,
            Target = grid.Y,
            Prediction = prediction,
            TrainingSample = sample,
        };
    }

    /// <summary>The grid's distinct values of input k, in order (the grid is a tensor product).</summary>
    public double[] Axis(int k) => Enumerable.Range(0, Count).Select(i => X[i * Inputs + k]).Distinct().Order().ToArray();

    public string InputName(int k) => Inputs == 1 ? "x" : $"x{k + 1}";
}
