using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Networks;
using NeuralFit.Persistence;

namespace NeuralFit.Diagnostics;

/// <summary>How a replay compares with the run it tries to fix, under <see cref="AcceptanceTest"/>.</summary>
internal enum ReplayVerdict { Kept, Passes, MaxErrorGrew, Better, NoBetter, Worse, Diverged }

internal static class ReplayVerdictNames
{
    /// <summary>The verdict as the doctor's JSON and <see cref="ReplayedFix.Verdict"/> write it: MaxErrorGrew → max-error-grew.</summary>
    public static string Name(this ReplayVerdict v) =>
        string.Concat(v.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}

/// <summary>A fix tried by replaying the run with its patch: same seed, same data.</summary>
internal sealed record Replay(Candidate Candidate, RunOutcome Outcome, ReplayVerdict Verdict)
{
    public Fix Fix => Candidate.Fix;
    public RunConfig Config => Outcome.Config;
    public Evaluation.Evaluation Evaluation => Outcome.Evaluation;
    public bool Works => Verdict is ReplayVerdict.Kept or ReplayVerdict.Passes;
}

/// <summary>
/// One round: the run it started from, the replays (first the fixes that keep the network, then, only if none of
/// them passed, the ones that swap it), and the one kept.
/// </summary>
internal sealed record DoctorRound(int Number, RunOutcome Before, IReadOnlyList<Replay> Replays, Replay? Chosen)
{
    public RunConfig Start => Before.Config;

    /// <summary>True when no fix that keeps the network passed, so fixes that swap it were replayed too.</summary>
    public bool TriedOtherNetworks { get; init; }

    /// <summary>True when a signal stopped the round before all its replays finished; <see cref="Replays"/> holds those that did.</summary>
    public bool Unfinished { get; init; }
}

internal sealed record DoctorResult(IReadOnlyList<DoctorRound> Rounds, RunOutcome Original, RunOutcome Final, bool Fits)
{
    /// <summary>A signal stopped the doctor: <see cref="Rounds"/> holds what had finished.</summary>
    public bool Interrupted { get; init; }

    /// <summary>The verdict on the best run the doctor reached (<see cref="Fitting.Verdict"/>); when it still misses, the
    /// next step is a diagnosis of that run.</summary>
    public Verdict Verdict => Final.Verdict;

    /// <summary>The final network has the user's widths and activation.</summary>
    public bool KeptNetwork => Original.Config.Layers.SequenceEqual(Final.Config.Layers) && Original.Config.Activation == Final.Config.Activation;

    /// <summary>What to change in the original configuration: the settings that differ, of those the final run uses.</summary>
    public JsonObject CombinedPatch => DoctorCandidates.Change(ConfigReader.ToJson(Original.Config), Final.Config);

    /// <summary>The final configuration, every setting it uses written (see <see cref="SettingUse"/>); a data file by its
    /// full path, since the configuration may be saved anywhere. A final run that grew through stages is written as the
    /// settings it was given and its seed: every setting written counts as given, so its last stage's settings would run
    /// that stage alone, from a fresh start on other points, where the given ones repeat the growth that made it.</summary>
    public JsonObject SavedConfig
    {
        get
        {
            var o = new JsonObject();
            foreach (var (key, value) in ConfigReader.ToJson(Final.Config))
                if (Final.Grown ? Final.Config.IsGiven(key) || key == "seed" : SettingUse.Uses(Final.Config, key, Final.UsesBaseline))
                    o[key] = value?.DeepClone();
            if (Final.Config.Data is string data) o["data"] = Path.GetFullPath(Path.Combine(Final.Config.BaseDirectory, data));
            return o;
        }
    }
}

/// <summary>
/// Diagnoses a run, replays it with each candidate fix (in parallel, one replay per core), keeps a fix only when its
/// replay passes <see cref="AcceptanceTest"/>, and repeats from the kept replay until the fit is good or nothing
/// passes. Fixes that keep the user's network (widths and activation) are replayed first; fixes that swap it only
/// when none of those passed. Every finished run goes to the journal as it finishes, and runs found there are not
/// trained again, so a doctor stopped by a signal goes on where it stopped when run again.
/// </summary>
internal static class Doctor
{
    /// <summary>The doctor on a fit of what <paramref name="options"/> describe, NeuralFit choosing every setting they leave null.</summary>
    public static DoctorResult Run(FitOptions options, int maxRounds = 3, int maxCandidates = 6, Action<string>? log = null,
        CancellationToken cancel = default, IRunJournal<RunOutcome>? journal = null) =>
        Run(RunConfig.From(ConfigReader.Check(options)), maxRounds, maxCandidates, log, cancel, journal);

    public static DoctorResult Run(RunConfig config, int maxRounds = 3, int maxCandidates = 6, Action<string>? log = null,
        CancellationToken cancel = default, IRunJournal<RunOutcome>? journal = null)
    {
        Diagnoser.RefuseSeveralOutputs(config, "doctor");
        var original = Diagnose(config, journal, cancel) ?? throw new OperationCanceledException(cancel);
        return From(original, maxRounds, maxCandidates, log, cancel, journal);
    }

    /// <summary>The rounds from a run already diagnosed (the user's own run, trained once).</summary>
    public static DoctorResult From(RunOutcome original, int maxRounds = 3, int maxCandidates = 6, Action<string>? log = null,
        CancellationToken cancel = default, IRunJournal<RunOutcome>? journal = null)
    {
        var rounds = new List<DoctorRound>();
        var current = original;
        for (int round = 1; round <= maxRounds && !Fits(current) && !cancel.IsCancellationRequested; round++)
        {
            var candidates = DoctorCandidates.For(current);
            var same = candidates.Where(c => !c.OtherNetwork).Take(maxCandidates).ToList();
            var other = candidates.Where(c => c.OtherNetwork).Take(maxCandidates).ToList();
            if (same.Count + other.Count == 0) break;
            var replays = new List<Replay>();
            bool tried = false;
            if (same.Count > 0)
            {
                log?.Invoke($"round {round}: replaying {Fixes(same.Count)} within the {NetworkName(current.Config)} network");
                replays.AddRange(ReplayAll(same, current, journal, cancel));
            }
            if (!cancel.IsCancellationRequested && !replays.Any(r => r.Works) && other.Count > 0)
            {
                tried = true;
                log?.Invoke($"round {round}: {(same.Count == 0 ? "no fix keeps" : "no fix within")} the {NetworkName(current.Config)} network{(same.Count == 0 ? "" : " passed")}; replaying {Fixes(other.Count, "change")} it");
                replays.AddRange(ReplayAll(other, current, journal, cancel));
            }
            bool unfinished = cancel.IsCancellationRequested;
            var chosen = unfinished ? null : replays.Where(r => r.Works).MinBy(r => r.Evaluation.Mse);
            if (chosen is not null) replays[replays.IndexOf(chosen)] = chosen = chosen with { Verdict = ReplayVerdict.Kept };
            rounds.Add(new DoctorRound(round, current, replays, chosen) { TriedOtherNetworks = tried, Unfinished = unfinished });
            if (chosen is null) break;
            current = chosen.Outcome;
        }
        return new DoctorResult(rounds, original, current, Fits(current)) { Interrupted = cancel.IsCancellationRequested };
    }

    /// <summary>
    /// The fit's verdict (<see cref="Verdict"/>: the requested goal, else R² ≥ 0.9999 for an expression or beating the
    /// linear baseline for a data file); or, with no goal requested, a data fit whose held-out error is within what the
    /// data's noise allows, which no fix can lower.
    /// </summary>
    public static bool Fits(RunOutcome r) =>
        r.Verdict.Fitted || (r.Config.GoalMse is null && r.Config.GoalMaxError is null && r.AtNoiseFloor);

    static string Fixes(int n, string verb = "") => n == 1 ? $"1 fix{(verb == "" ? "" : " that " + verb + "s")}" : $"{n} fixes{(verb == "" ? "" : " that " + verb)}";

    public static string NetworkName(RunConfig c) => $"{c.InputCount}-{string.Join("-", c.Layers.Append(1))} {c.Activation.Name()}";

    /// <summary>The candidates' replays, in their order, those a signal stopped left out.</summary>
    static IEnumerable<Replay> ReplayAll(IReadOnlyList<Candidate> candidates, RunOutcome before, IRunJournal<RunOutcome>? journal, CancellationToken cancel)
    {
        var outcomes = new RunOutcome?[candidates.Count];
        Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => outcomes[i] = cancel.IsCancellationRequested ? null : Diagnose(candidates[i].Config, journal, cancel));
        for (int i = 0; i < candidates.Count; i++)
            if (outcomes[i] is { } outcome) yield return new Replay(candidates[i], outcome, AcceptanceTest.Judge(before, outcome));
    }

    /// <summary>The run's outcome, from the journal when it finished before; null when a signal stopped it.</summary>
    static RunOutcome? Diagnose(RunConfig config, IRunJournal<RunOutcome>? journal, CancellationToken cancel)
    {
        string key = RunKey.Of(config);
        if (journal is not null && journal.TryRecall(key, out var kept)) return kept with { Config = Defaults.Complete(config) };
        var d = Diagnoser.Run(config, cancel: cancel);
        if (d.Fit.StopReason == Training.StopReason.Cancelled) return null;
        var outcome = RunOutcome.Of(d);
        journal?.Keep(key, outcome);
        return outcome;
    }
}
