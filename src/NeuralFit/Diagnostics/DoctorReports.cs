using NeuralFit.Configuration;
using NeuralFit.Training;

namespace NeuralFit.Diagnostics;

/// <summary>
/// The doctor as the library runs it (<c>NetworkRegressor.Doctor</c>), and its result as the public
/// <see cref="DoctorReport"/>: the same numbers and words the command's JSON writes (<c>DoctorJson</c>).
/// </summary>
internal static class DoctorReports
{
    /// <summary>Keys that name what is fitted, which a fit of arrays refuses (it fits the arrays it is given).</summary>
    static readonly string[] TargetKeys = ["target", "domain", "data", "targetColumn", "targetColumns", "inputColumns", "dropColumns", "evalDomain"];

    /// <summary>
    /// The doctor on <paramref name="config"/>. Cancelled, it returns as a diagnosis does: what had finished, marked
    /// <see cref="DoctorReport.Interrupted"/>; stopped during your own run, that run as it stood, with no rounds.
    /// </summary>
    public static DoctorReport Run(RunConfig config, CancellationToken cancel)
    {
        if (config.Checkpoint is not null)
            throw new InputError("FitOptions.Checkpoint does not apply to Doctor: it replays the run many times, side by side; checkpoint a long run with Fit");
        Diagnoser.RefuseSeveralOutputs(config, "doctor");
        var yours = Diagnoser.Run(config, cancel: cancel);
        var original = RunOutcome.Of(yours);
        var result = yours.Fit.StopReason == StopReason.Cancelled
            ? new DoctorResult([], original, original, Doctor.Fits(original)) { Interrupted = true }
            : Doctor.From(original, cancel: cancel);
        return Of(result);
    }

    /// <summary>The public report of a doctor's result whose runs were all trained by this process (none from a journal).</summary>
    public static DoctorReport Of(DoctorResult d) => new()
    {
        Fits = d.Fits,
        Verdict = d.Verdict,
        KeptNetwork = d.KeptNetwork,
        Interrupted = d.Interrupted,
        AcceptanceTest = AcceptanceTest.Describe(d.Original),
        Rounds = d.Rounds.Select(Round).ToArray(),
        Change = d.CombinedPatch.ToDictionary(p => p.Key, p => p.Value?.ToJsonString() ?? "null").AsReadOnly(),
        FinalOptions = FinalOptions(d),
        Final = d.Final.Full ?? throw new InvalidOperationException("the doctor's final run was read back from a journal: it has no diagnosis to report"),
    };

    /// <summary>The saved configuration (<see cref="DoctorResult.SavedConfig"/>) as options. A fit of arrays saves its
    /// source as the label "(arrays)" (<c>ArrayRows.Label</c>) with the keys of a target or file, which a fit of arrays
    /// refuses: they are left out, so the options fit the same arrays again.</summary>
    static FitOptions FinalOptions(DoctorResult d)
    {
        var saved = d.SavedConfig;
        if (d.Final.Config.Rows is not null)
            foreach (var key in TargetKeys) saved.Remove(key);
        return ConfigReader.FromJson(saved.ToJsonString(), "the doctor's final configuration", new FitOptions { BaseDirectory = d.Final.Config.BaseDirectory });
    }

    static RepairRound Round(DoctorRound r) => new()
    {
        Number = r.Number,
        Before = r.Before.Evaluation,
        Findings = r.Before.Findings,
        CauseChain = r.Before.CauseChain,
        TriedOtherNetworks = r.TriedOtherNetworks,
        Unfinished = r.Unfinished,
        Replays = r.Replays.Select(p => new ReplayedFix
        {
            Fix = p.Fix with { Patch = (System.Text.Json.Nodes.JsonObject)p.Fix.Patch.DeepClone() },
            FromFinding = p.Candidate.FromCode,
            OtherNetwork = p.Candidate.OtherNetwork,
            Verdict = p.Verdict.Name(),
            Works = p.Works,
            Kept = p.Verdict == ReplayVerdict.Kept,
            WallSeconds = p.Outcome.WallSeconds,
            Evaluation = p.Evaluation,
        }).ToArray(),
    };
}
