using System.Globalization;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Fitting;

/// <summary>
/// Refuses, before training, a problem whose numbers the run cannot hold, rather than training on infinities and
/// reporting NaN as "converged" (or failing to save the model at the end). The decision, once for every run: NeuralFit
/// squares inputs and targets — their variances for the normaliser, the errors for the loss and every metric — in
/// float64, so a magnitude beyond <see cref="MaxMagnitude"/> is refused (exit code 2) with what reaches it, and a
/// float32 run refuses a column it feeds to the network unnormalised beyond float32's range.
/// </summary>
internal static class Representability
{
    /// <summary>
    /// Largest magnitude of an input or target: its square is 1e300, and a sum of up to 10^8 such squares (the most
    /// samples a run holds) still stays below float64's 1.8e308. <c>1e155*x</c> on [0, 1] is beyond it; `exp(x)` up to
    /// x = 345 within.
    /// </summary>
    public const double MaxMagnitude = 1e150;

    public static void Check(Problem problem, RunConfig config)
    {
        string target = problem.IsDataset ? $"column '{problem.TargetName}' of {config.Data}" : $"target '{config.Target}'";
        foreach (var (set, where) in new[] { (problem.Training, "training"), (problem.Validation, "validation"), (problem.EvaluationSet, "evaluation") })
        {
            CheckValues(set.Y.Span, 1, 0, set, $"the {target}", where);
            if (problem.IsDataset)
                for (int k = 0; k < set.Inputs; k++) CheckValues(set.X.Span, set.Inputs, k, set, $"column '{problem.InputNames[k]}' of {config.Data}", where);
        }
        var n = problem.Normalization;
        if (n.Inputs.Append(n.Target).Any(m => !double.IsFinite(m.Shift) || !double.IsFinite(m.Scale) || m.Scale == 0))
            throw new InputError($"the normaliser of this data is not finite; rescale the {(problem.IsDataset ? "data" : "target")}");
        if (config.Precision == Precision.Float32)
        {
            CheckFloat32(problem.Training.Y.Span, 1, 0, n.Target, $"the {target}", "--normalize targets");
            for (int k = 0; k < problem.Training.Inputs; k++)
                CheckFloat32(problem.Training.X.Span, problem.Training.Inputs, k, n.Inputs[k], problem.IsDataset ? $"column '{problem.InputNames[k]}'" : $"input {problem.InputNames[k]}", "--normalize inputs");
        }
    }

    static void CheckValues(ReadOnlySpan<double> values, int stride, int offset, SampleSet set, string what, string where)
    {
        for (int i = offset; i < values.Length; i += stride)
            if (double.IsFinite(values[i]) && Math.Abs(values[i]) > MaxMagnitude)
                throw new InputError($"{what} reaches {Show(values[i])} at {At(set, i / stride)} ({where} points): NeuralFit squares its values, which " +
                                     $"float64 holds only up to about {Show(MaxMagnitude)}; fit a scaled version (divide by a power of ten) or a narrower range");
    }

    static void CheckFloat32(ReadOnlySpan<double> values, int stride, int offset, AffineMap map, string what, string fix)
    {
        for (int i = offset; i < values.Length; i += stride)
            if (Math.Abs((values[i] - map.Shift) / map.Scale) > float.MaxValue)
                throw new InputError($"{what} reaches {Show(values[i])}, beyond float32's range (about 3.4e+38), and is not normalised: use --precision float64, or {fix}");
    }

    /// <summary>Refuses initial weights that the run's precision cannot hold (constant:1e308 in float32 is ∞).</summary>
    public static void CheckInitialWeights<T>(ReadOnlySpan<T> parameters, RunConfig config) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var p in parameters)
            if (!T.IsFinite(p))
                throw new InputError($"--init {config.Init} / --bias-init {config.BiasInit}: the initial weights are not finite in {config.Precision.Name()}; " +
                                     "give smaller ones (float32 holds magnitudes up to about 3.4e+38)");
    }

    static string At(SampleSet set, int row) =>
        $"x = {string.Join(", ", Enumerable.Range(0, set.Inputs).Select(k => Show(set.X.Span[row * set.Inputs + k])))}";

    static string Show(double v) => v.ToString("g4", CultureInfo.InvariantCulture);
}
