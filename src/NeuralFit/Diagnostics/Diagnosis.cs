using NeuralFit.Diagnostics.Checks;

namespace NeuralFit.Diagnostics;

/// <summary>Runs every check on a trace; each check is small, pure, and owns one finding code.</summary>
internal static class Diagnosis
{
    static readonly Func<RunTrace, IEnumerable<Finding>>[] Checks =
    [
        DivergedCheck.Run,
        BadInitCheck.Run,
        ScaleChecks.Inputs,
        ScaleChecks.Targets,
        TargetChecks.NonFinite,
        TargetChecks.HeavyTails,
        ExplodingGradientsCheck.Run,
        LearningRateChecks.TooHigh,
        LearningRateChecks.TooLow,
        DeadUnitsCheck.Run,
        SaturatedUnitsCheck.Run,
        VanishingGradientsCheck.Run,
        CollapsedOutputCheck.Run,
        EffectivelyLinearCheck.Run,
        OverfittingCheck.Run,
        ProgressChecks.Plateau,
        ProgressChecks.Undertrained,
    ];

    public static IReadOnlyList<Finding> Findings(RunTrace trace)
    {
        var findings = Checks.SelectMany(check => check(trace)).ToList();
        findings.AddRange(CapacityCheck.Run(trace, findings)); // weighs the others: a broken network is not a small one
        return findings.Select(f => f with { Fixes = FixFilter.Deferred(f.Fixes, trace.Config) })
            .OrderByDescending(f => f.Severity).ToList();
    }
}
