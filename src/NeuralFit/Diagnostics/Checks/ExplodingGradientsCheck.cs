using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// exploding-gradients: an update that moves a layer's weights by more than their own size (update ratio > 1)
/// replaces the layer rather than adjusting it; healthy training moves weights by about 0.1 % per step. With
/// gradients growing 100-fold above their starting size during training, the same happens later in the run.
/// Whole-batch solvers take large steps by design, and take one only when it lowers the loss (Levenberg–Marquardt
/// raises its damping, L-BFGS's line search shrinks the step), so a growing gradient cannot throw them off: for them it
/// counts only when the run diverged all the same. (Their gradient also starts unusually small when Nguyen–Widrow's
/// output layer starts at its least-squares fit, so growth against it says little.)
/// </summary>
internal static class ExplodingGradientsCheck
{
    public static IEnumerable<Finding> Run(RunTrace t)
    {
        var trained = t.Trained.ToList();
        if (trained.Count == 0) yield break;
        var updates = trained.SelectMany(s => s.Layers.Select(l => (s.Step, Layer: l))).Where(p => double.IsFinite(p.Layer.UpdateRatio)).ToList();
        if (updates.Count == 0) yield break;
        var worst = updates.MaxBy(p => p.Layer.UpdateRatio);
        double startNorm = t.Initial.GradientNorm;
        var peak = trained.MaxBy(s => s.GradientNorm)!;
        bool bigUpdate = worst.Layer.UpdateRatio > 1 && !t.WholeBatch;
        bool diverged = t.Result.StopReason == Training.StopReason.Diverged || !t.Final.AllFinite;
        bool growing = startNorm > 0 && peak.GradientNorm > 100 * startNorm && (!t.WholeBatch || diverged);
        if (!bigUpdate && !growing) yield break;

        string message = bigUpdate
            ? $"The gradient is {N(t.Initial.GradientNorm)} at the start; the update of step {worst.Step} moved layer {worst.Layer.Layer}'s weights by {N(worst.Layer.UpdateRatio)}× their own size (healthy steps move them by about 0.001×)."
            : $"The gradient norm grew from {N(startNorm)} at the start to {N(peak.GradientNorm)} at step {peak.Step}.";
        bool explains = t.FitFailed;
        yield return new Finding(FindingCodes.ExplodingGradients, explains ? Severity.Error : Severity.Warning, message)
        {
            Layer = worst.Layer.Layer,
            Evidence = Of(("initialGradientNorm", startNorm), ("peakGradientNorm", peak.GradientNorm), ("peakStep", peak.Step),
                ("largestUpdateRatio", worst.Layer.UpdateRatio), ("largestUpdateStep", worst.Step), ("largestUpdateLayer", worst.Layer.Layer)),
            Fixes =
            [
                Fix.Of("standardise inputs and targets, so gradients start near unit scale", ("normalize", "both")),
                Fix.Of("take smaller steps", ("learningRate", t.Config.LearningRate / 10)),
                Fix.Of("clip the gradient norm at 1", ("clipNorm", 1.0)),
            ],
        };
    }
}
