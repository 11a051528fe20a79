using NeuralFit.Networks;
using NeuralFit.Training;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>
/// insufficient-capacity: the network cannot draw the target at this size. Only for a failed fit, from evidence
/// NeuralFit already has, in three strengths:
/// <list type="bullet">
/// <item>Decisive (error): the target needs more than the network can draw at all: more turning points along a
///   line than its units can make (<see cref="NetworkReach.TurningPoints"/> against <see cref="TargetDetail.TurningPoints"/>),
///   or, for a ReLU network, more linear pieces than it can cut a line into (<see cref="TargetDetail.PiecesForGoodFit"/>).
///   No training can fix that, whatever else went wrong.</item>
/// <item>Concurring (error): with every unit working and the loss at a floor, the classical approximation of the
///   same size also fails (the Chebyshev interpolant with as many coefficients as the network has parameters,
///   R² &lt; 0.99), and the target needs more Chebyshev points along an input than twice the units the network has
///   for it (NeuralFit's own sizing gives a unit to each point). Either alone is not enough: networks beat
///   polynomials on steep or singular targets (tanh(50x) needs 513 points and one unit).</item>
/// <item>Suggestive (warning): with every unit working and the loss at a floor, nothing else explains the failure:
///   the network does what it can, and what it can is not enough.</item>
/// </list>
/// "Every unit working": no layer a quarter dead or stuck (<see cref="Probes.LayerSnapshot.StuckUnits"/>; steep
/// units that switch inside the domain are how a small network draws detail), and no other error but the symptom.
/// "At a floor": the loss fell by less than 20 % over the second half of training, or the solver stopped because no
/// step lowers it. The fixes widen the network to the size the evidence asks, with room; the doctor replays them.
/// </summary>
internal static class CapacityCheck
{
    public static IEnumerable<Finding> Run(RunTrace t, IReadOnlyCollection<Finding> others)
    {
        if (!t.FitFailed || t.History.Count < 4 || t.Config.Layers.Count == 0) yield break;
        var layers = t.Config.Layers;
        var detail = t.Target;
        long? turnsAvailable = NetworkReach.TurningPoints(layers, t.Activation);
        long? piecesAvailable = NetworkReach.LinearPieces(layers, t.Activation);
        bool turnsShort = detail is not null && turnsAvailable is long ta && detail.TurningPoints > ta;
        bool piecesShort = detail is not null && piecesAvailable is long pa && detail.PiecesForGoodFit > pa;

        var (middle, end) = ProgressChecks.Halves(t);
        bool floor = end > 0.8 * middle || t.Result.StopReason == StopReason.Converged;
        bool working = t.Final.Hidden.All(l => l.DeadFraction < 0.25 && l.StuckFraction < 0.25)
                       && !others.Any(f => f.Severity == Severity.Error && f.Code != FindingCodes.CollapsedOutput);
        double? referenceR2 = t.Result.Reference?.Evaluation.R2;
        bool referenceFails = referenceR2 is double r && !(r >= 0.99);
        int inputs = t.Config.InputCount, perInput = layers[0] / inputs;

        bool decisive = turnsShort || piecesShort;
        // Without a bound to go by, a stalled loss says "too small" only when training stopped by itself (not early
        // stopping, which ends a run that still had room) and nothing says the network has too much freedom already.
        // A collapsed output counts too: with every unit working and nothing else wrong, a network whose best answer is
        // a constant cannot draw the target's variation at all.
        bool suggestive = working && floor && t.Result.StopReason != StopReason.EarlyStopped && !ProgressChecks.TooShortToArrive(t)
                          && !others.Any(f => f.Code == FindingCodes.Overfitting && f.Severity >= Severity.Warning)
                          && !AmpleForTarget(t, referenceR2);
        bool concurrable = working && floor && referenceFails;
        if (!decisive && !suggestive && !concurrable) yield break;
        bool resolutionShort = detail is not null && 2 * layers[0] < inputs * detail.Resolution; // measured only now
        bool concurring = concurrable && resolutionShort;
        if (!decisive && !concurring && !suggestive) yield break;

        string net = $"{t.Config.InputCount}-{string.Join("-", layers)}-1 {t.Activation.Name()}";
        var reasons = new List<string>();
        if (turnsShort)
            reasons.Add($"the target turns {detail!.TurningPoints} times along {(inputs == 1 ? "the domain" : "a line through the domain")}, and {Units(layers, t)} can turn at most {turnsAvailable} times");
        if (piecesShort)
            reasons.Add($"a piecewise-linear fit to R² 0.99 needs about {N(detail!.PiecesForGoodFit)} linear pieces, and {Units(layers, t)} cut a line into at most {piecesAvailable}");
        if (referenceFails)
            reasons.Add($"the Chebyshev interpolant with as many coefficients as the network has parameters ({t.Result.Reference!.Coefficients}) reaches only R² {N(referenceR2!.Value)}");
        if (resolutionShort)
            reasons.Add($"the target needs {(detail!.Resolution >= Configuration.TargetResolution.Unresolved ? "more than 513" : detail.Resolution.ToString())} Chebyshev points along an input, and the network has {layers[0]} units{(inputs == 1 ? "" : $" for {inputs} inputs")} (NeuralFit's sizing gives {(inputs == 1 ? "" : "each input ")}one per point)");
        if (working && floor)
            reasons.Add($"with every unit working, the loss stopped at {N(end)}");
        var severity = decisive || concurring ? Severity.Error : Severity.Warning;
        string verdict = severity == Severity.Error ? "is too small for this target" : "may be too small for this target";
        yield return new Finding(FindingCodes.InsufficientCapacity, severity,
            $"The {net} network {verdict} (R² {N(t.Evaluation.R2)}): {string.Join("; ", reasons)}.")
        {
            Evidence = Of(("parameters", t.Result.Model.Shape.ParameterCount), ("hiddenUnits", layers.Sum()),
                ("turningPointsNeeded", detail?.TurningPoints), ("turningPointsAvailable", turnsAvailable),
                ("piecesNeeded", detail is null || piecesAvailable is null ? null : detail.PiecesForGoodFit), ("piecesAvailable", piecesAvailable),
                ("resolution", detail?.Resolution), ("unitsPerInput", perInput), ("referenceR2", referenceR2),
                ("lossHalfway", middle), ("lossAtEnd", end), ("kinks", t.Final.Kinks)),
            Fixes = Wider(t, MinimumUnits(t, detail)),
        };
    }

    /// <summary>
    /// Every measure of the target says this network is big enough, so a stalled loss is not a size problem: no layer is
    /// short of units by the resolution test this check uses against the network (a unit for every two Chebyshev points
    /// the target needs along each input), the target turns no more often than the network can, and the classical
    /// approximation of the same size reaches R² 0.99. A suggestion from the stall alone cannot outweigh all three.
    /// </summary>
    static bool AmpleForTarget(RunTrace t, double? referenceR2)
    {
        var detail = t.Target;
        if (detail is null || !(referenceR2 >= 0.99) || detail.Resolution >= Configuration.TargetResolution.Unresolved) return false;
        long? turns = NetworkReach.TurningPoints(t.Config.Layers, t.Activation);
        return t.Config.Layers.All(w => 2 * w >= t.Config.InputCount * detail.Resolution) && !(detail.TurningPoints > turns);
    }

    static string Units(IReadOnlyList<int> layers, RunTrace t) =>
        layers.Count == 1 ? $"a layer of {layers[0]} {t.Activation.Name()} units" : $"{string.Join("-", layers)} {t.Activation.Name()} units";

    /// <summary>The fewest first-layer units the evidence allows, or null when it gives no number.</summary>
    static double? MinimumUnits(RunTrace t, TargetDetail? detail)
    {
        if (detail is null) return null;
        if (t.Activation.IsBounded()) return detail.TurningPoints / 2.0 + 1;
        if (t.Activation.IsReluFamily()) return Math.Max(detail.TurningPoints, detail.PiecesForGoodFit - 1);
        return null;
    }

    /// <summary>
    /// Two widths, every layer scaled alike: 1.5× and 3× the fewest units the evidence allows (a bound is reached only
    /// by perfectly placed units, and training places them less well: sin(300x) needs 49 tanh units by the bound; 48
    /// fail and 64 fit), at least 2× and 4× the present width, rounded up to a multiple of 8; and for a ReLU network,
    /// one more layer, which multiplies the pieces it can draw.
    /// </summary>
    static IReadOnlyList<Fix> Wider(RunTrace t, double? minimum)
    {
        var layers = t.Config.Layers;
        var fixes = new List<Fix>();
        foreach (var (times, ofMinimum) in new[] { (2, 1.5), (4, 3.0) })
        {
            double first = Math.Max(times * layers[0], (minimum ?? 0) * ofMinimum);
            double scale = first / layers[0];
            var widths = layers.Select(w => Math.Min(MaxWidth, RoundUp8(w * scale))).ToArray();
            fixes.Add(Fix.Of($"widen to {string.Join("-", widths)} units", ("layers", widths)));
        }
        if (t.Activation.IsReluFamily())
            fixes.Add(Fix.Of($"add a layer of {layers[^1]} units", ("layers", layers.Append(layers[^1]).ToArray())));
        return fixes;
    }

    /// <summary>Widest layer proposed: a 1-1024-1 network already has 3073 parameters.</summary>
    const int MaxWidth = 1024;

    static int RoundUp8(double width) => (int)Math.Ceiling(width / 8) * 8;
}
