using NeuralFit.Networks;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// effectively-linear: every ReLU-family unit keeps one sign over the whole domain, so each is either off or
/// linear there and the network is one affine function on the domain: it can do no better than the best straight
/// line (plane), whose error is computed on the evaluation set. A constant output is reported as collapsed-output.
/// </summary>
internal static class EffectivelyLinearCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        if (!t.Activation.IsReluFamily() || t.Config.Layers.Count == 0 || ProgressChecks.IsCollapsed(t)) yield break;
        var final = t.Final;
        if (final.Hidden.Any(l => l.OneSignUnits < l.Units)) yield break;
        var since = t.Snapshots.Reverse().TakeWhile(s => s.Hidden.All(l => l.OneSignUnits == l.Units)).LastOrDefault()?.Step ?? final.Step;
        double line = t.Data.BestLineMse;
        yield return new Finding(FindingCodes.EffectivelyLinear, t.FitFailed ? Severity.Error : Severity.Warning,
            $"Every unit keeps one sign over the whole domain (since step {since}), so the network is a straight line there: grid MSE {N(t.Evaluation.Mse)}, where the best straight line reaches {N(line)}.")
        {
            Evidence = Of(("since", since), ("gridMse", t.Evaluation.Mse), ("bestLineMse", line), ("kinks", final.Kinks)),
            Fixes =
            [
                Fix.Of("standardise inputs and targets, so units' kinks start inside the data", ("normalize", "both")),
                Fix.Of($"initialise with {t.RecommendedInit} and zero biases", ("init", t.RecommendedInit), ("biasInit", "zeros")),
            ],
        };
    }
}
