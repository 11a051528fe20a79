using NeuralFit.Networks;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// bad-init: the initial weights put the output or the hidden activations far off scale. The output is judged
/// against the targets: more than 10 target standard deviations off (in mean or spread) means an initial loss of
/// at least 100× what a constant achieves, so the first updates are spent on that offset, with gradients to
/// match. Weights drawn all of one sign (an init whose range excludes 0) add up instead of cancelling, so every
/// layer multiplies the scale by about fan-in × mean weight. Half a layer dead or saturated before the first step
/// is an init that has already lost half its units. When the inputs themselves are far off scale, an off-scale
/// start is their doing (unscaled-inputs), and only a faulty draw (one sign, constant) is blamed on the init.
/// Steep starting units that switch inside the domain are not a fault (Nguyen–Widrow spreads them over it on
/// purpose); units pinned at one bound over the whole domain are (<see cref="Probes.LayerSnapshot.StuckUnits"/>).
/// An init NeuralFit chose for the problem (Nguyen–Widrow, placed on the data) is blamed only when the evidence shows
/// it hurt: the fit failed and the layer that started dead or stuck is still so at the end.
/// </summary>
internal static class BadInitCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        var s0 = t.Initial;
        var target = t.Data.Target;
        double targetStd = Math.Max(target.Std, 1e-12);
        bool oneSign = t.Config.Init.Kind == InitKind.Uniform && (t.Config.Init.A >= 0 || t.Config.Init.B <= 0);
        bool biasOneSign = t.Config.BiasInit.Kind == InitKind.Uniform && (t.Config.BiasInit.A >= 0 || t.Config.BiasInit.B <= 0)
                           || t.Config.BiasInit.Kind == InitKind.Constant && t.Config.BiasInit.A != 0;
        bool constantWeights = t.Config.Init.Kind == InitKind.Constant;
        double offset = Math.Abs(s0.OutputMean - target.Mean) / targetStd;
        double spread = s0.OutputStd / targetStd;
        bool inputsScaled = t.Data.Inputs.All(c => !Preprocessing.Normalization.IsFarFromUnitScale(c.FedMean, c.FedStd));
        bool offScale = (offset > 10 || spread > 10) && (inputsScaled || oneSign);
        var deadLayer = inputsScaled ? s0.Hidden.FirstOrDefault(l => l.DeadFraction >= 0.5) : null;
        var saturatedLayer = inputsScaled && t.FitPoor ? s0.Hidden.FirstOrDefault(l => l.StuckFraction >= 0.5) : null;
        if (!t.Config.Chosen(o => o.Init) && !StillBroken(t, deadLayer ?? saturatedLayer)) yield break;
        if (!offScale && !oneSign && !constantWeights && deadLayer is null && saturatedLayer is null) yield break;
        if (!offScale && deadLayer is null && saturatedLayer is null && !constantWeights && !t.FitFailed) yield break;

        var parts = new List<string>();
        if (oneSign)
            parts.Add($"every weight{(biasOneSign ? " and bias" : "")} starts {(t.Config.Init.A >= 0 ? "positive" : "negative")} ({t.Config.Init}, mean {N(t.Config.Init.Mean)})");
        if (constantWeights)
            parts.Add($"every weight starts equal ({t.Config.Init}), so the units of a layer compute the same thing and stay identical");
        if (offScale)
            parts.Add($"the initial output is {S(s0.OutputMin)} … {S(s0.OutputMax)} across the domain, against targets averaging {S(target.Mean)} (std {N(target.Std)})");
        if (deadLayer is not null)
            parts.Add($"{deadLayer.DeadUnits} of {deadLayer.Units} units of layer {deadLayer.Layer} are inactive on every input before training starts");
        if (saturatedLayer is not null)
            parts.Add($"{saturatedLayer.StuckUnits} of {saturatedLayer.Units} units of layer {saturatedLayer.Layer} start pinned at one bound over the whole domain");

        bool explainsFailure = t.FitFailed && (offScale || deadLayer is not null || saturatedLayer is not null || constantWeights);
        yield return new Finding(FindingCodes.BadInit, explainsFailure ? Severity.Error : Severity.Warning,
            Capitalize(string.Join("; so ", parts)) + $". Start from {t.RecommendedInit} weights and zero biases, which keep every layer's output near unit scale.")
        {
            Evidence = Of(("init", t.Config.Init.ToString()), ("biasInit", t.Config.BiasInit.ToString()),
                ("initialOutputMin", s0.OutputMin), ("initialOutputMax", s0.OutputMax), ("initialOutputMean", s0.OutputMean),
                ("targetMean", target.Mean), ("targetStd", target.Std), ("offsetInTargetStds", offset), ("spreadInTargetStds", spread)),
            Fixes = [Fix.Of($"initialise with {t.RecommendedInit} and zero biases", ("init", t.RecommendedInit), ("biasInit", "zeros"))],
        };
    }

    /// <summary>The fit failed and the layer that started half dead or stuck is still so at the end.</summary>
    static bool StillBroken(RunTrace t, Probes.LayerSnapshot? start) =>
        t.FitFailed && start is not null && t.Final.Layers[start.Layer - 1] is var end && (end.DeadFraction >= 0.5 || end.StuckFraction >= 0.5);

    static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..];
}
