using NeuralFit.Configuration;
using NeuralFit.Fitting;

namespace NeuralFit.Diagnostics;

/// <summary>
/// What the doctor did and proved (<c>NetworkRegressor.Doctor</c>; the command's <c>doctor --json</c> in C#): the rounds
/// of fixes replayed on the same seed and data, the one kept in each, and the run it ended with. <see cref="FinalOptions"/>
/// is that run's configuration, ready for a new <c>NetworkRegressor</c>; <see cref="Change"/> is what differs from yours.
/// </summary>
public sealed record DoctorReport
{
    internal DoctorReport() { }

    /// <summary>The final run fits: its verdict says so, or, with no goal set, its held-out error is within the data's noise.</summary>
    public bool Fits { get; init; }

    /// <summary>The final run's verdict; when it still misses, the next step is a diagnosis of <see cref="FinalOptions"/>.</summary>
    public required Verdict Verdict { get; init; }

    /// <summary>The final network has your widths and activation.</summary>
    public bool KeptNetwork { get; init; }

    /// <summary>The cancellation token stopped the doctor: <see cref="Rounds"/> holds what had finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>What a replay must do to be kept, in words (the JSON's <c>acceptanceTest</c>).</summary>
    public required string AcceptanceTest { get; init; }

    /// <summary>The rounds, first to last; empty when your run fit as it was.</summary>
    public required IReadOnlyList<RepairRound> Rounds { get; init; }

    /// <summary>The settings of the final run that differ from yours and that it uses: JSON key → value as JSON text
    /// (<c>"learningRate"</c> → <c>"0.001"</c>, <c>"layers"</c> → <c>"[50,10]"</c>), the JSON's <c>change</c>.</summary>
    public required IReadOnlyDictionary<string, string> Change { get; init; }

    /// <summary>The final run's configuration, every setting it uses written: a fit with these options (of the same
    /// arrays, or of the target they name) repeats the final run.</summary>
    public required FitOptions FinalOptions { get; init; }

    /// <summary>The final run's diagnosis: its fit (model, evaluation, history) and what is left to find in it.</summary>
    public required DiagnosisResult Final { get; init; }
}

/// <summary>One round: the run it started from, what was found in it, the fixes replayed from it, and the one kept.</summary>
public sealed record RepairRound
{
    internal RepairRound() { }

    /// <summary>1 for the first round.</summary>
    public int Number { get; init; }

    /// <summary>How the run the round started from did (your run in round 1, the previous round's kept replay after).</summary>
    public required Evaluation.Evaluation Before { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }

    public required IReadOnlyList<CauseStep> CauseChain { get; init; }

    /// <summary>Every fix replayed, in the order tried, with its measured outcome.</summary>
    public required IReadOnlyList<ReplayedFix> Replays { get; init; }

    /// <summary>The replay kept (the lowest error of those that passed), or null when none passed.</summary>
    public ReplayedFix? Kept => Replays.FirstOrDefault(r => r.Kept);

    /// <summary>No fix that keeps the network passed, so fixes that change it were replayed too.</summary>
    public bool TriedOtherNetworks { get; init; }

    /// <summary>Cancellation stopped the round before all its replays finished.</summary>
    public bool Unfinished { get; init; }
}

/// <summary>A fix replayed (same seed, same data) and what it measured, judged against the run it tries to fix.</summary>
public sealed record ReplayedFix
{
    internal ReplayedFix() { }

    /// <summary>The fix, its patch being the change it makes to the round's starting run.</summary>
    public required Fix Fix { get; init; }

    /// <summary>The finding code it came from, or "recommended" / "refinement" for NeuralFit's own suggestions.</summary>
    public required string FromFinding { get; init; }

    /// <summary>It changes the network's widths or activation.</summary>
    public bool OtherNetwork { get; init; }

    /// <summary>The acceptance test's verdict, as the JSON writes it: kept, passes, max-error-grew, better, no-better, worse, diverged.</summary>
    public required string Verdict { get; init; }

    /// <summary>It passed the acceptance test.</summary>
    public bool Works { get; init; }

    /// <summary>It is the round's kept fix.</summary>
    public bool Kept { get; init; }

    public double WallSeconds { get; init; }

    /// <summary>The replay's test (or grid) MSE, RMSE, R², max |error|.</summary>
    public required Evaluation.Evaluation Evaluation { get; init; }
}
