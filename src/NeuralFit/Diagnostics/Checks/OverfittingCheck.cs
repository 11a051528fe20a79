using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// overfitting: the validation loss ended 20 % or more above its best while the training loss kept falling: the
/// network learns the training samples' noise rather than the function. Needs a validation split.
/// </summary>
public static class OverfittingCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        var points = t.History.Where(h => h.ValidationLoss is double v && double.IsFinite(v)).ToList();
        if (points.Count < 4) yield break;
        var best = points.MinBy(p => p.ValidationLoss!.Value)!;
        var last = points[^1];
        if (!(last.ValidationLoss > 1.2 * best.ValidationLoss) || !(last.Loss < best.Loss)) yield break;
        yield return new Finding(FindingCodes.Overfitting, t.FitFailed ? Severity.Error : Severity.Warning,
            $"The validation loss was lowest at step {best.Step} ({N(best.ValidationLoss!.Value)}) and ended at {N(last.ValidationLoss!.Value)}, while the training loss fell from {N(best.Loss)} to {N(last.Loss)}.")
        {
            Evidence = Of(("bestValidationStep", best.Step), ("bestValidationLoss", best.ValidationLoss), ("finalValidationLoss", last.ValidationLoss),
                ("trainingLossAtBest", best.Loss), ("finalTrainingLoss", last.Loss)),
            Fixes =
            [
                Fix.Of("stop early and keep the best weights", ("earlyStopping", 20)),
                Fix.Of("add weight decay", ("weightDecay", 1e-4)),
                Fix.Of("train on more samples", ("samples", Math.Max(2 * t.Config.Samples, 1000))),
            ],
        };
    }
}
