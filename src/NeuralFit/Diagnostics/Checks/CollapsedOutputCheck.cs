using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// collapsed-output: the output hardly varies with the input. If its spread is a share s of the target's, the
/// fit can explain at most 1 − (1 − s)² of the variance (the best case, perfectly correlated and rescaled): below
/// s = 0.1 that is under 19 %, a constant for practical purposes. Below 0.5 (at most 75 %) it is a warning when
/// the fit failed.
/// </summary>
internal static class CollapsedOutputCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        var e = t.Evaluation;
        double share = e.OutputStd / Math.Max(e.TargetStd, 1e-300);
        if (!(share < 0.1) && !(share < 0.5 && t.FitFailed)) yield break;
        double trainingMean = t.Data.Target.Mean;
        bool atMean = Math.Abs(e.OutputMean - trainingMean) < 0.1 * Math.Max(e.TargetStd, 1e-12);
        string constant = atMean
            ? $" ≈ the mean of the training targets ({S(trainingMean)}), the best a constant can do under squared error"
            : "";
        bool cut = t.Final.Hidden.Any(l => l.DeadFraction >= 1);
        string how = cut ? "With a hidden layer dead, only the output bias still learns: " : "";
        string answers = cut ? "the network answers" : "The network answers";
        string message = share < 0.1
            ? $"{how}{answers} about {S(e.OutputMean)} for every input (output std {N(e.OutputStd)} against the target's {N(e.TargetStd)}){constant}."
            : $"The output varies too little: std {N(e.OutputStd)} against the target's {N(e.TargetStd)} (mean {S(e.OutputMean)}), so the fit misses much of the target's variation.";
        yield return new Finding(FindingCodes.CollapsedOutput, share < 0.1 ? Severity.Error : Severity.Warning, message)
        {
            Evidence = Of(("outputMean", e.OutputMean), ("outputStd", e.OutputStd), ("targetMean", e.TargetMean), ("targetStd", e.TargetStd),
                ("trainingTargetMean", trainingMean), ("spreadShare", share)),
        };
    }
}
