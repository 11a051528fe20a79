using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// overfitting: the network learned its training samples rather than the function (or, for data, their noise).
/// Judged on the model the run hands over, against the noise the data shows:
/// <list type="bullet">
/// <item>With a validation split, the validation loss ended 20 % or more above its lowest while the training loss
///   kept falling. When early stopping has already put back the weights of that lowest point, the run did what the
///   finding would ask, and what matters is whether a gap remains at those weights: held-out error (the test rows for
///   data, else validation) more than twice the training error, and above what the data's noise allows (an honest
///   fit of p effective parameters to n rows has a held-out error about (1 + p/n)/(1 − p/n) times its training
///   error, so twice means p/n near 1/3: a large part of the noise fitted). If so, a warning; if not, a note.</item>
/// <item>Without one: the network fits its training samples ten times better (in MSE) than the function between
///   them, while the fit failed: it has learned the samples, not the function (too few samples for its size). A gap
///   of 10× is far beyond what interpolating a smooth function between adequately dense samples produces. Only
///   claimed when the samples are fewer than twice the parameters (enough freedom to memorise them) and the targets
///   are not heavy-tailed (whose rare extremes open such a gap by being under-sampled, a different problem with its
///   own finding).</item>
/// </list>
/// A fit whose held-out error is within the data's noise (<see cref="RunTrace.AtNoiseFloor"/>) has not failed, so
/// overfitting there is a warning at most.
/// </summary>
internal static class OverfittingCheck
{
    public static IEnumerable<Finding> Run(RunTrace t) => ValidationRises(t).Concat(GeneralisationGap(t)).Take(1);

    static IEnumerable<Finding> GeneralisationGap(RunTrace t)
    {
        double train = t.Errors?.TrainingMse ?? t.Final.ProbeMse, grid = t.Evaluation.Mse;
        int parameters = t.Result.Model.Shape.ParameterCount;
        if (!t.FitFailed || !(grid > 10 * train) || t.Config.Sampler == Configuration.SamplerKind.FreshUniform && t.Config.Data is null
            || t.Data.TrainingSamples >= 2 * parameters || t.Data.TopPercentShare > 0.15) yield break;
        var fixes = new List<Fix>();
        if (t.Config.Data is null) fixes.Add(Fix.Of("train on more samples", ("samples", Math.Max(4 * t.Data.TrainingSamples, 2 * parameters))));
        fixes.Add(Fix.Of("add weight decay", ("weightDecay", 1e-4)));
        fixes.Add(Fix.Of("stop early on a validation split", ("validationFraction", 0.2), ("earlyStopping", 20)));
        yield return new Finding(FindingCodes.Overfitting, Severity.Error,
            $"The network fits its training samples (MSE {N(train)}) but not the function between them ({t.Evaluation.Domain} MSE {N(grid)}): {t.Data.TrainingSamples} samples are too few for {parameters} parameters.")
        {
            Evidence = Of(("trainingMse", train), ("gridMse", grid), ("samples", t.Data.TrainingSamples), ("parameters", parameters)),
            Fixes = fixes,
        };
    }

    static IEnumerable<Finding> ValidationRises(RunTrace t)
    {
        var points = t.History.Where(h => h.ValidationLoss is double v && double.IsFinite(v)).ToList();
        if (points.Count < 4) yield break;
        var best = points.MinBy(p => p.ValidationLoss!.Value)!;
        var last = points[^1];
        if (!(last.ValidationLoss > 1.2 * best.ValidationLoss) || !(last.Loss < best.Loss)) yield break;
        string rose = $"After step {best.Step} the validation loss rose from {N(best.ValidationLoss!.Value)} to {N(last.ValidationLoss!.Value)} while the training loss fell from {N(best.Loss)} to {N(last.Loss)}";
        var errors = t.Errors;
        var evidence = Of(("bestValidationStep", errors?.BestValidationStep ?? best.Step), ("bestValidationLoss", best.ValidationLoss),
            ("finalValidationLoss", last.ValidationLoss), ("trainingLossAtBest", best.Loss), ("finalTrainingLoss", last.Loss),
            ("restored", errors?.Restored ?? false), ("trainingMse", errors?.TrainingMse), ("validationMse", errors?.ValidationMse),
            ("testMse", t.Config.Data is null ? null : t.Evaluation.Mse), ("noiseCeiling", t.Noise?.Ceiling));
        if (errors is { Restored: true })
        {
            double heldOut = t.Config.Data is not null ? t.Evaluation.Mse : errors.ValidationMse ?? double.NaN;
            string heldOutName = t.Config.Data is not null ? "test" : "validation";
            bool aboveNoise = t.Noise is not { } noise || heldOut > noise.Allowance(t.Evaluation.Points);
            bool gapRemains = heldOut > 2 * errors.TrainingMse && aboveNoise;
            string noiseText = t.Noise?.Ceiling is double n ? $", and the data's noise accounts for up to about {N(n)}" : "";
            string at = $"early stopping put back the weights of step {errors.BestValidationStep}, its lowest validation loss, where the {heldOutName} MSE is {N(heldOut)} against {N(errors.TrainingMse)} on the training set{noiseText}";
            yield return new Finding(FindingCodes.Overfitting, gapRemains ? Severity.Warning : Severity.Info,
                gapRemains
                    ? $"{rose}; {at}: the gap remains at those weights."
                    : $"{rose}; {at}: nothing is left to fix.")
            {
                Evidence = evidence,
                Fixes = gapRemains ? MoreData(t) : [],
            };
            yield break;
        }
        var fixes = new List<Fix>();
        if (t.Config.EarlyStopping is null) fixes.Add(Fix.Of("stop early and keep the best weights", ("earlyStopping", 20)));
        fixes.AddRange(MoreData(t));
        yield return new Finding(FindingCodes.Overfitting, t.FitFailed ? Severity.Error : Severity.Warning, rose + ".")
        {
            Evidence = evidence,
            Fixes = fixes,
        };
    }

    /// <summary>
    /// Less freedom to fit noise: for lm, its own weight penalty re-estimated from the data (Bayesian regularisation,
    /// as MATLAB's trainbr); else weight decay; for an expression more samples (a data file has the rows it has); and
    /// a network half as wide.
    /// </summary>
    static List<Fix> MoreData(RunTrace t)
    {
        var fixes = new List<Fix>();
        if (t.Config.Optimizer == Configuration.OptimizerKind.Lm)
            fixes.Add(Fix.Of("let lm weigh a weight penalty against the fit (Bayesian regularisation)", ("regularization", "bayesian")));
        fixes.Add(Fix.Of("add weight decay", ("weightDecay", 1e-4)));
        if (t.Config.Data is null) fixes.Add(Fix.Of("train on more samples", ("samples", Math.Max(2 * t.Config.Samples, 1000))));
        if (t.Config.Layers.Count > 0 && t.Config.Layers[0] >= 4)
        {
            var narrower = t.Config.Layers.Select(w => Math.Max(2, w / 2)).ToArray();
            fixes.Add(Fix.Of($"use a network half as wide: {string.Join("-", narrower)} units", ("layers", narrower)));
        }
        return fixes;
    }
}
