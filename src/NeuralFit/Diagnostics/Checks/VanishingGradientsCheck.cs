using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// vanishing-gradients: the first layer's gradient, per parameter, is three or more orders of magnitude below the
/// output layer's (median over the probes). With a shared learning rate the first layer then learns a thousand
/// times slower; over a run of thousands of steps it hardly moves, and the network behaves as if it had only its
/// last layers. A first layer that is entirely dead is reported as dead units instead: there the gradient is not
/// small but exactly zero, for another reason. lbfgs and lm have no shared learning rate: their steps come from the
/// curvature (a Gauss–Newton or quasi-Newton model), which scales each direction by itself, so small gradients in the
/// first layer do not slow it; for them the check does not apply.
/// </summary>
internal static class VanishingGradientsCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        if (t.WholeBatch) yield break;
        var ratios = t.Snapshots
            .Where(s => s.Layers.Length >= 2 && s.Layers[^1].GradientRms > 0 && !(s.Layers[0].DeadFraction >= 1))
            .Select(s => s.Layers[0].GradientRms / s.Layers[^1].GradientRms)
            .Where(double.IsFinite).Order().ToArray();
        if (ratios.Length == 0) yield break;
        double median = ratios[ratios.Length / 2];
        if (!(median < 1e-3)) yield break;
        int depth = t.Config.Layers.Count;
        yield return new Finding(FindingCodes.VanishingGradients, t.FitFailed ? Severity.Error : Severity.Warning,
            $"The gradient reaching layer 1 is {N(median)}× the output layer's (median over {ratios.Length} probes), through {depth} {t.Activation.ToString().ToLowerInvariant()} layers: the first layers barely learn.")
        {
            Layer = 1,
            Evidence = Of(("medianFirstToLastGradientRatio", median), ("probes", ratios.Length), ("hiddenLayers", depth)),
            Fixes =
            [
                Fix.Of("use ReLU with He initialisation, whose derivative does not shrink the gradient", ("activation", "relu"), ("init", "he-normal"), ("biasInit", "zeros")),
                Fix.Of("use Adam, which rescales each parameter's step", ("optimizer", "adam"), ("learningRate", 1e-3)),
                Fix.Of("use fewer, wider layers", ("layers", new[] { Math.Max(32, t.Config.Layers.Max()), Math.Max(32, t.Config.Layers.Max()) })),
            ],
        };
    }
}
