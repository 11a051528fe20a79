using NeuralFit.Configuration;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// learning-rate-too-high and learning-rate-too-low, judged from the update/weight ratio (how far one step moves a
/// layer, relative to its size; about 1e-3 is the usual healthy value) and from the loss history.
/// </summary>
internal static class LearningRateChecks
{
    /// <summary>
    /// Too high: steps that move the weights by more than 10 % (median over the first half of training) overshoot
    /// any curvature the loss has; and a loss that jumps to 10× its level so far after it started falling is the
    /// overshoot seen directly (measured against the loss's typical level so far), when the jump gives back a real part of the progress (it rises above 10 % of the
    /// initial loss; Adam's harmless spikes near a converged fit stay far below that). Reported when the gradients themselves are moderate (below 10 per parameter),
    /// otherwise the cause is the gradients (exploding-gradients), not the rate.
    /// </summary>
    public static IEnumerable<Finding> TooHigh(RunTrace t)
    {
        if (t.WholeBatch) yield break; // no learning rate
        var early = t.Trained.Take(Math.Max(1, t.Trained.Count() / 2)).ToList();
        if (early.Count == 0) yield break;
        double medianRatio = Median(early.Select(MaxUpdateRatio));
        var (jumpStep, jump) = LargestJump(t);
        bool moderateGradients = t.Initial.Layers.All(l => l.GradientRms < 10);
        bool overshoot = medianRatio > 0.1 && moderateGradients;
        if (!overshoot && !(jump > 10)) yield break;
        string message = overshoot
            ? $"Each step moves the weights by {N(medianRatio)}× their size (median over the first half of training; healthy is about 0.001×): learning rate {N(t.Config.LearningRate)} overshoots."
            : $"The loss jumped to {N(jump)}× its typical level so far at step {jumpStep}: learning rate {N(t.Config.LearningRate)} overshoots.";
        yield return new Finding(FindingCodes.LearningRateTooHigh, t.FitFailed ? Severity.Error : Severity.Warning, message)
        {
            Evidence = Of(("learningRate", t.Config.LearningRate), ("medianUpdateRatio", medianRatio), ("largestLossJump", jump), ("jumpStep", jumpStep)),
            Fixes =
            [
                Fix.Of("take steps 10× smaller", ("learningRate", t.Config.LearningRate / 10)),
                Fix.Of("use Adam at 1e-3 with a cosine schedule", ("optimizer", "adam"), ("learningRate", 1e-3), ("schedule", "cosine")),
            ],
        };
    }

    /// <summary>
    /// Too low: steps that move the weights by less than 1e-5 of their size: even 10 000 aligned steps change
    /// them by at most 10 %, too little to reshape the function; and the loss has not halved. Not claimed when units
    /// are dead or saturated, where small updates are a consequence.
    /// </summary>
    public static IEnumerable<Finding> TooLow(RunTrace t)
    {
        if (t.WholeBatch) yield break;
        var later = t.Trained.Where(s => s.Step >= 10).ToList();
        if (later.Count == 0 || t.History.Count < 2) yield break;
        double medianRatio = Median(later.Select(MaxUpdateRatio));
        double start = t.History[0].Loss, end = t.History[^1].Loss;
        bool stuck = t.Final.Hidden.Any(l => l.DeadFraction >= 0.5 || l.StuckFraction >= 0.5);
        if (!(medianRatio < 1e-5) || !(end > 0.5 * start) || stuck || !t.FitFailed) yield break;
        bool adaptive = t.Config.Optimizer is OptimizerKind.Adam or OptimizerKind.AdamW or OptimizerKind.RmsProp;
        yield return new Finding(FindingCodes.LearningRateTooLow, Severity.Error,
            $"Each step moves the weights by only {N(medianRatio)}× their size, and the loss went from {N(start)} to {N(end)}: learning rate {N(t.Config.LearningRate)} is too small to get anywhere in {t.Config.Steps} steps.")
        {
            Evidence = Of(("learningRate", t.Config.LearningRate), ("medianUpdateRatio", medianRatio), ("startLoss", start), ("endLoss", end)),
            Fixes =
            [
                Fix.Of("take steps 10× larger", ("learningRate", t.Config.LearningRate * 10)),
                adaptive ? Fix.Of("train longer", ("steps", t.Config.Steps * 4)) : Fix.Of("use Adam at 1e-3", ("optimizer", "adam"), ("learningRate", 1e-3)),
            ],
        };
    }

    static double MaxUpdateRatio(Probes.ProbeSnapshot s) =>
        s.Layers.Select(l => l.UpdateRatio).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();

    /// <summary>
    /// The largest ratio of the loss to its typical level so far (the median of the earlier points), among points
    /// above 10 % of the initial loss. The history is first smoothed by a running median of three. Comparing with the
    /// typical level rather than the best one keeps minibatch noise (heavy-tailed targets make plenty) from passing
    /// for an overshoot; a real overshoot lifts the loss far above where it had settled, and stays there.
    /// </summary>
    static (int Step, double Ratio) LargestJump(RunTrace t)
    {
        var h = t.History;
        if (h.Count < 4) return (0, 0);
        var smooth = Enumerable.Range(1, h.Count - 2).Select(i => (h[i].Step, Loss: Median([h[i - 1].Loss, h[i].Loss, h[i + 1].Loss]))).ToList();
        double ratio = 0, initial = h[0].Loss;
        int step = 0;
        for (int i = 1; i < smooth.Count; i++)
        {
            double typical = Median(smooth.Take(i).Select(p => p.Loss));
            double loss = smooth[i].Loss;
            if (typical > 0 && loss / typical > ratio && loss > 0.1 * initial) (ratio, step) = (loss / typical, smooth[i].Step);
        }
        return (step, ratio);
    }

    internal static double Median(IEnumerable<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToArray();
        return v.Length == 0 ? double.NaN : v[v.Length / 2];
    }
}
