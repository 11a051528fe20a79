namespace NeuralFit.Evaluation;

/// <summary>
/// How well a model matches the target on an evaluation set, in the user's units. Points where the target is not
/// finite are counted in <see cref="NonFiniteTargets"/> and left out of every metric.
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
}
