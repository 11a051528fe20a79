using NeuralFit.Networks;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// dead-units: ReLU units that are inactive on every probe input output 0 everywhere and receive zero gradient,
/// so nothing can revive them. A layer with all units dead cuts the network: everything after it is constant.
/// Half a layer dead halves its capacity; that explains a failed fit. A quarter is worth a warning.
/// Leaky ReLU units keep a small gradient and are not counted.
/// </summary>
internal static class DeadUnitsCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        if (t.Activation != Activation.Relu) yield break;
        foreach (var layer in t.Final.Hidden)
        {
            if (layer.DeadUnits == 0) continue;
            var since = t.DeadSince[layer.Layer - 1].Where(s => s is not null).Select(s => s!.Value).ToArray();
            int first = since.Length > 0 ? since.Min() : 0, last = since.Length > 0 ? since.Max() : 0;
            string when = first == last ? $"since step {first}" : $"since steps {first}–{last}";
            bool all = layer.DeadUnits == layer.Units;
            var severity = t.FitFailed && layer.DeadFraction >= 0.5 ? Severity.Error
                : layer.DeadFraction >= 0.25 ? Severity.Warning : Severity.Info;
            string consequence = all ? "; nothing after this layer depends on the input any more" : "";
            var atDeath = t.At(first)?.Layers[layer.Layer - 1];
            string weights = atDeath is { NegativeWeightFraction: > 0.9 } && t.Initial.Layers[layer.Layer - 1].NegativeWeightFraction < 0.5
                ? $"; step {first} turned {Percent(atDeath.NegativeWeightFraction)} of its weights negative"
                : "";
            yield return new Finding(FindingCodes.DeadUnits, severity,
                $"{(all ? "All " : "")}{layer.DeadUnits} of {layer.Units} units of layer {layer.Layer} are dead (inactive on every input) {when}{weights}{consequence}.")
            {
                Layer = layer.Layer,
                Evidence = Of(("deadUnits", layer.DeadUnits), ("units", layer.Units), ("firstDeathStep", first), ("lastDeathStep", last),
                    ("negativeWeightFraction", layer.NegativeWeightFraction)),
                Fixes =
                [
                    Fix.Of($"initialise with {t.RecommendedInit} and zero biases", ("init", t.RecommendedInit), ("biasInit", "zeros")),
                    Fix.Of("use leaky ReLU, whose units keep a small gradient", ("activation", "leaky-relu")),
                    Fix.Of("take smaller steps", ("learningRate", t.Config.LearningRate / 10)),
                ],
            };
        }
    }
}
