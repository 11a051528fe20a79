namespace NeuralFit.Evaluation;

/// <summary>
/// How well a model matches the target on an evaluation set, in the user's units. Points where the target is not
/// finite are counted in <see cref="NonFiniteTargets"/> and left out of every metric. With Sobol sampling,
/// <see cref="MaxAbsError"/> is the largest error found by the evaluation set and a search from its worst points.
/// </summary>
public sealed record Evaluation
{
    /// <summary>The evaluation ranges ("0.01:1"), or "test set" for a dataset.</summary>
    public required string Domain { get; init; }
    public required int Points { get; init; }
    public required double Mse { get; init; }
    public required double Rmse { get; init; }
    public required double MaxAbsError { get; init; }
    public required double R2 { get; init; }
    public required double OutputMean { get; init; }
    public required double OutputStd { get; init; }
    public required double TargetMean { get; init; }
    public required double TargetStd { get; init; }
    public int NonFiniteTargets { get; init; }
    public int NonFiniteOutputs { get; init; }

    /// <summary>Inputs of the point with the largest error.</summary>
    public double[] WorstInput { get; init; } = [];

    /// <summary>How the points were placed (<see cref="EvaluationSamplings"/>).</summary>
    public string Sampling { get; init; } = EvaluationSamplings.Grid;

    /// <summary>With several outputs: each output's metrics, in order (empty for one output).</summary>
    public IReadOnlyList<Evaluation> PerOutput { get; init; } = [];

    /// <summary>The output these metrics are of, in <see cref="PerOutput"/>.</summary>
    public string? OutputName { get; init; }

    /// <summary>Points the search for the worst point tried beyond the evaluation set (Sobol sampling only); its
    /// worst, when worse than the set's, is <see cref="MaxAbsError"/> and <see cref="WorstInput"/>.</summary>
    public int SearchedPoints { get; init; }
}
