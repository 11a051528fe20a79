using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Reports.Plots;

/// <summary>
/// The numbers a run's plots show, in the user's units: the model and the target on the evaluation grid, their
/// difference, and a sample of the training points. Built from the run's effective configuration, which recreates
/// the same problem (same seed, same data).
/// </summary>
sealed record RunData
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

    /// <summary>Which output these numbers are of (0 for a run of one output), and its name when there are several.</summary>
    public int Output { get; init; }
    public string? OutputName { get; init; }
    public int OutputCount => Fit.Model.OutputCount;

    /// <summary>The model's predictions of this output at x, row-major (n, inputs).</summary>
    public double[] PredictAt(double[] x) => Column(Fit.Model.Predict(x.AsSpan()));

    /// <summary>The target of this output at x.</summary>
    public double[] TargetAt(double[] x)
    {
        var y = new double[x.Length / Inputs * Problem.Function.OutputCount];
        Problem.Function.Evaluate(x, y);
        return Column(y);
    }

    double[] Column(double[] values)
    {
        int k = OutputCount;
        return k == 1 ? values : Enumerable.Range(0, values.Length / k).Select(i => values[i * k + Output]).ToArray();
    }

    /// <summary>The numbers of output o of a run of several.</summary>
    public RunData ForOutput(int o, double[] allTargets, double[] allPredictions)
    {
        int k = OutputCount;
        return new RunData
        {
            Fit = Fit, Problem = Problem, Domain = Domain, X = X,
            Target = Enumerable.Range(0, allTargets.Length / k).Select(i => allTargets[i * k + o]).ToArray(),
            Prediction = Enumerable.Range(0, allPredictions.Length / k).Select(i => allPredictions[i * k + o]).ToArray(),
            TrainingSample = TrainingSample.Output(o),
            Output = o,
            OutputName = Fit.Model.TargetNames[o],
        };
    }

    /// <summary>One RunData per output (just this one for a run of one output).</summary>
    public IReadOnlyList<RunData> PerOutput { get; private init; } = [];

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
        var prediction = fit.Model.Predict(grid.X.Span);
        var training = problem.Training;
        int take = Math.Min(MaxTrainingPoints, training.Count);
        var sample = training.Select(Enumerable.Range(0, take).Select(i => (int)((long)i * training.Count / take)));
        var all = new RunData
        {
            Fit = fit,
            Problem = problem,
            Domain = fit.Config.EffectiveEvalDomain,
            X = grid.X.ToArray(),
            Target = grid.Y.ToArray(),
            Prediction = prediction,
            TrainingSample = sample,
        };
        return all with { PerOutput = grid.Outputs == 1 ? [all] : Enumerable.Range(0, grid.Outputs).Select(o => all.ForOutput(o, grid.Y.ToArray(), prediction)).ToArray() };
    }

    /// <summary>The grid's distinct values of input k, in order (the grid is a tensor product).</summary>
    public double[] Axis(int k) => Enumerable.Range(0, Count).Select(i => X[i * Inputs + k]).Distinct().Order().ToArray();

    public string InputName(int k) => Inputs == 1 ? "x" : $"x{k + 1}";
}
