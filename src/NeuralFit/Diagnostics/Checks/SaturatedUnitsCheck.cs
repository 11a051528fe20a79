using NeuralFit.Networks;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// saturated-units: tanh/sigmoid units pinned near their bounds (see the probe's definition) on almost every input.
/// What that costs depends on where the unit switches (<see cref="Probes.LayerSnapshot.StuckUnits"/>):
/// <list type="bullet">
/// <item>A unit pinned at the same bound over the whole domain is stuck: it adds a constant, passes back almost no
///   gradient, and no sample can move it. Half a layer stuck at the end explains a failed fit; a quarter is worth a
///   warning when the fit is poor.</item>
/// <item>A unit that switches from one bound to the other inside the domain is steep: a step placed where the target
///   needs it. Nguyen–Widrow starts a wide layer so, and fitting fine detail makes units so; the unit still learns
///   from the samples near its step. That gets a note only: when such a network falls short, the cause is elsewhere
///   (too few units for the detail, say).</item>
/// </list>
/// </summary>
internal static class SaturatedUnitsCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        if (!t.Activation.IsBounded()) yield break;
        string kind = t.Activation.Name();
        foreach (var layer in t.Final.Hidden)
        {
            if (layer.SaturatedFraction < 0.25) continue;
            int steep = layer.SaturatedUnits - layer.StuckUnits;
            var evidence = Of(("saturatedUnits", layer.SaturatedUnits), ("stuckUnits", layer.StuckUnits), ("steepUnits", steep),
                ("units", layer.Units), ("preActivationStd", layer.PreActivationStd));
            if (layer.StuckFraction < 0.25)
            {
                yield return new Finding(FindingCodes.SaturatedUnits, Severity.Info,
                    $"{layer.SaturatedUnits} of {layer.Units} {kind} units of layer {layer.Layer} are steep: each sits at its bounds on almost every input and switches between them inside the domain (pre-activation std {N(layer.PreActivationStd)}), as Nguyen–Widrow starts them and fine detail makes them.")
                { Layer = layer.Layer, Evidence = evidence };
                continue;
            }
            var first = t.Snapshots.FirstOrDefault(s => s.Layers[layer.Layer - 1].StuckFraction >= 0.25);
            evidence["since"] = first?.Step;
            var severity = t.FitFailed && layer.StuckFraction >= 0.5 ? Severity.Error : t.FitPoor ? Severity.Warning : Severity.Info;
            string more = steep > 0 ? $"; {steep} more are steep, switching inside the domain" : "";
            yield return new Finding(FindingCodes.SaturatedUnits, severity,
                $"{layer.StuckUnits} of {layer.Units} {kind} units of layer {layer.Layer} are pinned at one bound over the whole domain (pre-activation std {N(layer.PreActivationStd)}){(first is null ? "" : $", since step {first.Step}")}: each adds a constant and learns from almost no sample{more}.")
            {
                Layer = layer.Layer,
                Evidence = evidence,
                Fixes =
                [
                    Fix.Of("standardise inputs and targets", ("normalize", "both")),
                    Fix.Of("initialise with glorot-uniform and zero biases", ("init", "glorot-uniform"), ("biasInit", "zeros")),
                    Fix.Of("take smaller steps", ("learningRate", t.Config.LearningRate / 10)),
                ],
            };
        }
    }
}
