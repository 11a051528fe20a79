using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>plateau and undertrained: the fit fell short although training went on without visible breakage
/// (insufficient-capacity, the third such finding, has its own check).</summary>
internal static class ProgressChecks
{
    /// <summary>
    /// Plateau: over the second half of training the loss fell by less than 5 % while the fit failed (R² &lt; 0.99):
    /// more of the same steps will not fix it. Not reported for a collapsed output, which is its own finding, nor for a
    /// run too short to have left its start (<see cref="TooShortToArrive"/>): a loss flat over a few hundred small steps
    /// is the pause before the network starts drawing the detail, and more of the same steps do fix that.
    /// </summary>
    public static IEnumerable<Finding> Plateau(RunTrace t)
    {
        if (!t.FitFailed || t.History.Count < 4 || IsCollapsed(t) || TooShortToArrive(t)) yield break;
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
    /// Undertrained: the fit is poor (R² &lt; 0.999) and the loss was still falling fast enough that the first fix,
    /// 4× the steps, would halve it (the doctor's test of a fix). Under a power-law decay, loss ∝ step^−a, 4× the
    /// steps halves the loss when a ≥ 0.5; the medians of the third and last quarters of the history sit near steps
    /// 0.625T and 0.875T, so a ≥ 0.5 shows as the last quarter's median at most (0.625/0.875)^0.5 = 0.845 of the third's.
    /// Medians over whole quarters keep minibatch noise out of the comparison (a few points at each end are not
    /// enough: one noisy batch moves their mean by 20 %). A training loss the held-out error does not follow
    /// (overfitting at warning or above) is memorisation, not progress, and does not count.
    /// Also when the run was too short to get anywhere (<see cref="TooShortToArrive"/>), whatever its last quarter did:
    /// its steps together could not move the weights as far as fitting takes.
    /// </summary>
    public static IEnumerable<Finding> Undertrained(RunTrace t)
    {
        if (!t.FitPoor || t.History.Count < 8 || IsCollapsed(t) || t.Result.StopReason != Training.StopReason.Completed) yield break;
        var h = t.History;
        int last = h[^1].Step;
        double before = LearningRateChecks.Median(h.Where(p => p.Step >= last / 2 && p.Step < last * 3 / 4).Select(p => p.Loss));
        double end = LearningRateChecks.Median(h.Where(p => p.Step >= last * 3 / 4).Select(p => p.Loss));
        double reach = Reach(t);
        bool falling = end < 0.845 * before, short_ = reach < ShortReach;
        if (!falling && !short_ || OverfittingCheck.Run(t).Any(f => f.Severity >= Severity.Warning)) yield break;
        // Enough steps for the weights to move by their own size twice over (the reach grows with the steps).
        int longer = short_ ? (int)Math.Min(1_000_000, Math.Max(4.0 * t.Config.Steps, Math.Ceiling(2 * t.Config.Steps / reach))) : Math.Min(t.Config.Steps * 4, 1_000_000);
        var fixes = new List<Fix> { Fix.Of($"train {N((double)longer / t.Config.Steps)}× longer", ("steps", longer)) };
        if (short_ && t.Config.Optimizer == Configuration.OptimizerKind.Sgd) // the reach grows with the step size too
            fixes.Add(Fix.Of("use Adam at 1e-3, whose steps do not shrink with the gradient", ("optimizer", "adam"), ("learningRate", 1e-3)));
        if (!t.WholeBatch && t.Result.Model.Shape.ParameterCount <= 2000)
            fixes.Add(Fix.Of("use Levenberg–Marquardt, which converges in far fewer steps on a network this small", ("optimizer", "lm"), ("steps", 1000)));
        string message = falling
            ? $"Training stopped while the loss was still falling: its median went from {N(before)} over the third quarter of the {t.Config.Steps} steps to {N(end)} over the last (R² {N(t.Evaluation.R2)})."
            : $"Training stopped before it could get anywhere: its {t.Config.Steps} steps together could move the weights by at most {N(reach)}× their size, and fitting a shape the start does not draw moves them by about their size (R² {N(t.Evaluation.R2)}).";
        yield return new Finding(FindingCodes.Undertrained, t.FitFailed ? Severity.Error : Severity.Warning, message)
        {
            Evidence = Of(("lossThirdQuarter", before), ("lossLastQuarter", end), ("steps", t.Config.Steps), ("r2", t.Evaluation.R2), ("reach", reach)),
            Fixes = fixes,
        };
    }

    /// <summary>
    /// How far the run's steps could move the weights, relative to their size: each probe's update ratio (the largest
    /// layer's: the step's distance over the weights' norm) standing for each step since the previous probe, summed. By
    /// the triangle inequality the weights ended no farther from their start than this (as far as the probes sample the
    /// steps; the update ratio changes slowly between them). NaN for whole-batch solvers, whose
    /// iterations are line searches, not steps of a set size, and when no probe measured an update.
    /// </summary>
    internal static double Reach(RunTrace t)
    {
        if (t.WholeBatch) return double.NaN;
        double reach = 0;
        int previous = 0, measured = 0;
        foreach (var s in t.Trained.OrderBy(s => s.Step))
        {
            double ratio = s.Layers.Select(l => l.UpdateRatio).Where(double.IsFinite).DefaultIfEmpty(double.NaN).Max();
            if (double.IsFinite(ratio)) { reach += ratio * (s.Step - previous); measured++; }
            previous = s.Step;
        }
        return measured == 0 ? double.NaN : reach;
    }

    /// <summary>
    /// The run's steps together could not move any layer's weights by half their size (<see cref="Reach"/> &lt; 0.5).
    /// A network of the usual widths starts far from the target's shape, and drawing it moves the weights by about
    /// their own size (a unit must turn its weights to place its bend where the target needs it); a run that could not
    /// go half that far has stopped on the way, however flat its last loss points look, and its failure says nothing
    /// about the network's size. (Very wide networks fit by moving less, but their fits then do not fail this way.)
    /// </summary>
    internal static bool TooShortToArrive(RunTrace t) => Reach(t) < ShortReach;

    const double ShortReach = 0.5;

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
