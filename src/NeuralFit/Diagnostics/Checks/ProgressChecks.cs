using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>plateau and undertrained: the fit fell short although training went on without visible breakage
/// (insufficient-capacity, the third such finding, has its own check).</summary>
internal static class ProgressChecks
{
    /// <summary>
    /// Plateau: over the second half of training the loss fell by less than 5 % while the fit failed (R² &lt; 0.99):
    /// more of the same steps will not fix it. Not reported for a collapsed output, which is its own finding.
    /// </summary>
    public static IEnumerable<Finding> Plateau(RunTrace t)
    {
        if (!t.FitFailed || t.History.Count < 4 || IsCollapsed(t)) yield break;
        var (middle, end) = Halves(t);
        if (!(end > 0.95 * middle)) yield break;
        yield return new Finding(FindingCodes.Plateau, Severity.Warning,
            $"The loss stopped improving: {N(middle)} halfway and {N(end)} at the end, while the fit explains only {Percent(Math.Max(0, t.Evaluation.R2))} of the target's variance.")
        {
            Evidence = Of(("lossHalfway", middle), ("lossAtEnd", end), ("r2", t.Evaluation.R2)),
            Fixes =
            [
                Fix.Of("use Levenberg–Marquardt, a second-order solver for small networks", ("optimizer", "lm"), ("steps", 500)),
                Fix.Of("use Adam at 1e-3 with a cosine schedule", ("optimizer", "adam"), ("learningRate", 1e-3), ("schedule", "cosine")),
            ],
        };
    }

    /// <summary>
    /// Undertrained: the fit is poor (R² &lt; 0.999) and over the last quarter of training the loss still fell by more
    /// than 20 %: the run stopped on the way down, and more steps (or a faster solver) would take it further.
    /// Averages of three history points at each end keep minibatch noise out of the comparison.
    /// </summary>
    public static IEnumerable<Finding> Undertrained(RunTrace t)
    {
        if (!t.FitPoor || t.History.Count < 8 || IsCollapsed(t) || t.Result.StopReason != Training.StopReason.Completed) yield break;
        var h = t.History;
        int quarter = h[^1].Step * 3 / 4;
        double before = h.Where(p => p.Step >= quarter).Take(3).Average(p => p.Loss);
        double end = h.Skip(Math.Max(0, h.Count - 3)).Average(p => p.Loss);
        if (!(end < 0.8 * before)) yield break;
        var fixes = new List<Fix> { Fix.Of("train 4× longer", ("steps", Math.Min(t.Config.Steps * 4, 1_000_000))) };
        if (!t.WholeBatch && t.Result.Model.Shape.ParameterCount <= 2000)
            fixes.Add(Fix.Of("use Levenberg–Marquardt, which converges in far fewer steps on a network this small", ("optimizer", "lm"), ("steps", 1000)));
        yield return new Finding(FindingCodes.Undertrained, t.FitFailed ? Severity.Error : Severity.Warning,
            $"Training stopped while the loss was still falling: from {N(before)} to {N(end)} over the last quarter of the {t.Config.Steps} steps (R² {N(t.Evaluation.R2)}).")
        {
            Evidence = Of(("lossAtThreeQuarters", before), ("lossAtEnd", end), ("steps", t.Config.Steps), ("r2", t.Evaluation.R2)),
            Fixes = fixes,
        };
    }

    internal static bool IsCollapsed(RunTrace t) => t.Evaluation.OutputStd < 0.1 * t.Evaluation.TargetStd;

    /// <summary>The loss around the middle of training and at its end, each the mean of three history points.</summary>
    internal static (double Middle, double End) Halves(RunTrace t)
    {
        var h = t.History;
        int half = h[^1].Step / 2;
        var around = h.Where(p => p.Step >= half).Take(3).Select(p => p.Loss).ToArray();
        var last = h.Skip(Math.Max(0, h.Count - 3)).Select(p => p.Loss).ToArray();
        return (around.Average(), last.Average());
    }
}
