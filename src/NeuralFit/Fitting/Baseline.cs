using NeuralFit.Evaluation;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;

namespace NeuralFit.Fitting;

/// <summary>
/// The linear baseline of a data fit: ridge regression (α by leave-one-out) on the rows the network learns from,
/// measured on the same evaluation rows as the network. A network that cannot beat it has learnt nothing a straight
/// line would not.
/// </summary>
/// <param name="Kind">"ridge".</param>
/// <param name="HeldOutR2">R² of its held-out predictions on the rows the choice between it and the network was made on
/// (cross-validation folds, or validation rows).</param>
public sealed record Baseline(string Kind, double Alpha, Evaluation.Evaluation Evaluation, double HeldOutR2)
{
    public double R2 => Evaluation.R2;

    /// <summary>With several outputs, each output's ridge α (one ridge regression per output); <see cref="Alpha"/> is the first's.</summary>
    public IReadOnlyList<double> Alphas { get; init; } = [];
    public double Rmse => Evaluation.Rmse;

    /// <summary>A linear model is a network with no hidden layer: the ridge weights on its standardised inputs, its
    /// intercept as the output bias. Model files, ONNX and C# export take it as they take any network.</summary>
    internal static FittedModel<double> AsNetwork(RidgeRegression ridge, Activation activation, IReadOnlyList<string> inputNames, string targetName)
    {
        var shape = new NetworkShape(ridge.InputCount, [], 1, activation);
        var network = new Mlp<double>(shape, [.. ridge.Weights, ridge.Intercept]);
        return new FittedModel<double>(network, new Normalization(ridge.Inputs, AffineMap.Identity)) { InputNames = inputNames, TargetName = targetName };
    }
}

/// <summary>One stage of a fit that grew (a wider network, more points) or chose among candidates (a data fit's
/// networks and its baseline): what was tried, on how many points, for how long, and how well it did.</summary>
/// <param name="Layers">Hidden widths; none for the linear baseline.</param>
/// <param name="Samples">Training points (rows) the stage learnt from.</param>
/// <param name="Metric">The stage's score on <paramref name="MeasuredOn"/>: R².</param>
/// <param name="MaxAbsError">The stage's worst error there, when measured (NaN for cross-validated candidates).</param>
public sealed record Stage(IReadOnlyList<int> Layers, int Samples, double Seconds, double Metric, string MeasuredOn, string Method, double MaxAbsError = double.NaN);
