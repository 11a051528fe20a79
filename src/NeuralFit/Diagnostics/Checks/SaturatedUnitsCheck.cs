using NeuralFit.Networks;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// saturated-units: tanh/sigmoid units pinned near their bounds (see the probe's definition) pass back almost no
/// gradient and give almost the same output for every input. Half a layer saturated at the end explains a failed
/// fit; a quarter is worth a warning when the fit is poor. A good fit with many steep units (as Nguyen–Widrow and
/// Levenberg–Marquardt produce) gets a note only.
/// </summary>
public static class SaturatedUnitsCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        if (!t.Activation.IsBounded()) yield break;
        foreach (var layer in t.Final.Hidden)
        {
            if (layer.SaturatedFraction < 0.25) continue;
            var first = t.Snapshots.FirstOrDefault(s => s.Layers[layer.Layer - 1].SaturatedFraction >= 0.25);
            var severity = t.FitFailed && layer.SaturatedFraction >= 0.5 ? Severity.Error : t.FitPoor ? Severity.Warning : Severity.Info;
            yield return new Finding(FindingCodes.SaturatedUnits, severity,
                $"{layer.SaturatedUnits} of {layer.Units} {t.Activation.ToString().ToLowerInvariant()} units of layer {layer.Layer} are pinned at their bounds for almost every input (pre-activation std {N(layer.PreActivationStd)}){(first is null ? "" : $", since step {first.Step}")}.")
            {
                Layer = layer.Layer,
                Evidence = Of(("saturatedUnits", layer.SaturatedUnits), ("units", layer.Units), ("preActivationStd", layer.PreActivationStd), ("since", first?.Step)),
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
