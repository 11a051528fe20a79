using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// overfitting, two ways. With a validation split: the validation loss ended 20 % or more above its best while the
/// training loss kept falling. Without one: the network fits its training samples ten times better (in MSE) than
/// the function between them on the evaluation grid, while the fit failed: it has learned the samples, not the
/// function (too few samples for its size). A gap of 10× is far beyond what interpolating a smooth function
/// between adequately dense samples produces. Only claimed when the samples are fewer than twice the parameters
/// (enough freedom to memorise them) and the targets are not heavy-tailed (whose rare extremes open such a gap
/// by being under-sampled, a different problem with its own finding).
/// </summary>
public static class OverfittingCheck
{
    public static IEnumerable<Finding> Run(RunTrace t) => ValidationRises(t).Concat(GeneralisationGap(t)).Take(1);

    static IEnumerable<Finding> GeneralisationGap(RunTrace t)
    {
        double train = t.Final.ProbeMse, grid = t.Evaluation.Mse;
        int parameters = t.Result.Model.Shape.ParameterCount;
        if (!t.FitFailed || !(grid > 10 * train) || t.Config.Sampler == Configuration.SamplerKind.FreshUniform
            || t.Data.TrainingSamples >= 2 * parameters || t.Data.TopPercentShare > 0.15) yield break;
        yield return new Finding(FindingCodes.Overfitting, Severity.Error,
            $"The network fits its training samples (MSE {N(train)}) but not the function between them (grid MSE {N(grid)}): {t.Data.TrainingSamples} samples are too few for {parameters} parameters.")
        {
            Evidence = Of(("trainingMse", train), ("gridMse", grid), ("samples", t.Data.TrainingSamples), ("parameters", parameters)),
            Fixes =
            [
                Fix.Of("train on more samples", ("samples", Math.Max(4 * t.Data.TrainingSamples, 2 * parameters))),
                Fix.Of("add weight decay", ("weightDecay", 1e-4)),
                Fix.Of("stop early on a validation split", ("validationFraction", 0.2), ("earlyStopping", 20)),
            ],
        };
    }

    static IEnumerable<Finding> ValidationRises(RunTrace t)
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
