using NeuralFit.Configuration;

namespace NeuralFit.Preprocessing;

/// <summary>
/// The affine maps between the user's units and the network's: one per input column and one for the target.
/// Fitted on the training data, stored with the model and inverted on output, so every metric is reported in the
/// user's units.
/// </summary>
public sealed record Normalization(AffineMap[] Inputs, AffineMap Target)
{
    public static Normalization None(int inputs) => new(Enumerable.Repeat(AffineMap.Identity, inputs).ToArray(), AffineMap.Identity);

    /// <summary>
    /// "auto" standardises a column whose finite values are far from unit scale: mean beyond ±3 or standard
    /// deviation outside [0.1, 10]. Within that band, tanh and ReLU units with standard inits see inputs of order
    /// one and the output layer starts near the targets' scale, so standardising changes little; beyond it,
    /// pre-activations or the loss start orders of magnitude off. Data inside the band are fed as given, so a
    /// replicated setup (such as the ln(x) question's) runs exactly as written.
    /// </summary>
    public static bool IsFarFromUnitScale(double mean, double std) => Math.Abs(mean) > 3 || std < 0.1 || std > 10;

    /// <param name="x">Training inputs, row-major (n, inputs).</param>
    /// <param name="y">Training targets (n).</param>
    public static Normalization Fit(NormalizeMode mode, ReadOnlySpan<double> x, int inputs, ReadOnlySpan<double> y)
    {
        var maps = new AffineMap[inputs];
        for (int j = 0; j < inputs; j++)
        {
            var (mean, std, _) = AffineMap.Moments(x, inputs, j);
            bool normalize = mode is NormalizeMode.Inputs or NormalizeMode.Both || (mode == NormalizeMode.Auto && IsFarFromUnitScale(mean, std));
            maps[j] = normalize ? AffineMap.Standardize(x, inputs, j) : AffineMap.Identity;
        }
        var (yMean, yStd, _) = AffineMap.Moments(y);
        bool normalizeY = mode is NormalizeMode.Targets or NormalizeMode.Both || (mode == NormalizeMode.Auto && IsFarFromUnitScale(yMean, yStd));
        return new Normalization(maps, normalizeY ? AffineMap.Standardize(y) : AffineMap.Identity);
    }
}
