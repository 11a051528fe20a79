using NeuralFit.Configuration;

namespace NeuralFit.Preprocessing;

/// <summary>
/// The affine maps between the user's units and the network's: one per input column and one for the target (one per
/// output when there are several: <see cref="Targets"/>, whose first is <see cref="Target"/>).
/// Fitted on the training data, stored with the model and inverted on output, so every metric is reported in the
/// user's units.
/// </summary>
internal sealed record Normalization(AffineMap[] Inputs, AffineMap Target)
{
    /// <summary>One map per output, in order; <see cref="Target"/> is the first.</summary>
    public AffineMap[] Targets { get; private init; } = [Target];

    public int OutputCount => Targets.Length;

    /// <summary>Most outputs a stored normaliser is read with (the widest layer a model file allows).</summary>
    public const int MaxOutputs = 1_000_000;

    /// <summary>Maps for several outputs.</summary>
    public static Normalization Of(AffineMap[] inputs, AffineMap[] targets) =>
        targets.Length == 0 ? throw new ArgumentException("no target map", nameof(targets)) : new(inputs, targets[0]) { Targets = targets };

    public static Normalization None(int inputs, int outputs = 1) =>
        Of(Enumerable.Repeat(AffineMap.Identity, inputs).ToArray(), Enumerable.Repeat(AffineMap.Identity, outputs).ToArray());

    /// <summary>
    /// "auto" standardises a column whose finite values are far from unit scale: mean beyond ±3 or standard
    /// deviation outside [0.1, 10]. Within that band, tanh and ReLU units with standard inits see inputs of order
    /// one and the output layer starts near the targets' scale, so standardising changes little; beyond it,
    /// pre-activations or the loss start orders of magnitude off. Data inside the band are fed as given, so a
    /// replicated setup (such as the ln(x) question's) runs exactly as written.
    /// </summary>
    public static bool IsFarFromUnitScale(double mean, double std) => Math.Abs(mean) > 3 || std < 0.1 || std > 10;

    /// <param name="x">Training inputs, row-major (n, inputs).</param>
    /// <param name="y">Training targets, row-major (n, outputs).</param>
    public static Normalization Fit(NormalizeMode mode, ReadOnlySpan<double> x, int inputs, ReadOnlySpan<double> y, int outputs = 1) =>
        Fit(mode, NormalizerKind.Standardize, x, inputs, y, outputs);

    /// <summary>
    /// Which columns are normalised follows <paramref name="mode"/>; how follows <paramref name="kind"/>. "auto" maps
    /// inputs' ranges onto [−1, 1] (min-max) and standardises targets: inputs fill a box, and min-max puts that box
    /// where tanh units and standard inits are most expressive, whatever the sampler's density inside it (a
    /// log-uniform or Chebyshev sample would pull a standardised input off centre); targets are standardised because
    /// the squared error is measured against their spread, and a few extreme targets (ln near 0) would otherwise
    /// squeeze every other one into a sliver of [−1, 1]. Each output's targets are mapped on their own.
    /// </summary>
    public static Normalization Fit(NormalizeMode mode, NormalizerKind kind, ReadOnlySpan<double> x, int inputs, ReadOnlySpan<double> y, int outputs = 1)
    {
        var maps = new AffineMap[inputs];
        for (int j = 0; j < inputs; j++)
        {
            var (mean, std, _) = AffineMap.Moments(x, inputs, j);
            bool normalize = mode is NormalizeMode.Inputs or NormalizeMode.Both || (mode == NormalizeMode.Auto && IsFarFromUnitScale(mean, std));
            maps[j] = !normalize ? AffineMap.Identity
                : kind == NormalizerKind.Standardize ? AffineMap.Standardize(x, inputs, j)
                : MinMax(x, inputs, j);
        }
        var targets = new AffineMap[outputs];
        for (int k = 0; k < outputs; k++)
        {
            var (yMean, yStd, _) = AffineMap.Moments(y, outputs, k);
            bool normalizeY = mode is NormalizeMode.Targets or NormalizeMode.Both || (mode == NormalizeMode.Auto && IsFarFromUnitScale(yMean, yStd));
            targets[k] = !normalizeY ? AffineMap.Identity : kind == NormalizerKind.MinMax ? MinMax(y, outputs, k) : AffineMap.Standardize(y, outputs, k);
        }
        return Of(maps, targets);
    }

    /// <summary>The range of the finite values at offset, offset + stride, ... onto [−1, 1].</summary>
    static AffineMap MinMax(ReadOnlySpan<double> values, int stride, int offset)
    {
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        for (int i = offset; i < values.Length; i += stride)
            if (double.IsFinite(values[i])) (lo, hi) = (Math.Min(lo, values[i]), Math.Max(hi, values[i]));
        if (!double.IsFinite(lo)) return AffineMap.Identity;
        return hi - lo > 1e-12 * Math.Max(1, Math.Abs(lo)) ? AffineMap.MinMax(lo, hi) : new AffineMap(lo, 1);
    }
}
