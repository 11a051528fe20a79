using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Fitting;

namespace NeuralFit.Diagnostics;

/// <summary>A fix tried by replaying the run with its patch: same seed, same data.</summary>
public sealed record Replay(Fix Fix, string FromCode, RunConfig Config, DiagnosisResult Result, bool Works)
{
    public Evaluation.Evaluation Evaluation => Result.Fit.Evaluation;
}

/// <summary>One round: the run it started from, its diagnosis, the fixes replayed, and the one kept.</summary>
public sealed record DoctorRound(int Number, RunConfig Start, DiagnosisResult Diagnosis, IReadOnlyList<Replay> Replays, Replay? Chosen);

public sealed record DoctorResult(IReadOnlyList<DoctorRound> Rounds, DiagnosisResult Final, bool Fits)
{
    /// <summary>The verdict on the best run the doctor reached; when it still misses, the next step is a diagnosis of that run.</summary>
    public Verdict Verdict => Final.Fit.Verdict;

    /// <summary>Every patch kept along the way, merged: what to change in the original configuration.</summary>
    public JsonObject CombinedPatch
    {
        get
        {
            var o = new JsonObject();
            foreach (var r in Rounds)
                if (r.Chosen is { } c)
                    foreach (var p in c.Fix.Patch) o[p.Key] = p.Value?.DeepClone();
            return o;
        }
    }
}

/// <summary>
/// Diagnoses a run, replays it with each candidate fix (in parallel, one replay per core), keeps a fix only when
/// its replay shows it works, and repeats from the best replay until the fit is good or nothing helps.
/// </summary>
public static class Doctor
{
    /// <summary>A replay "works" when it at least halves the grid MSE of the run it fixes and does not diverge.</summary>
    public const double RequiredImprovement = 0.5;

    public static DoctorResult Run(RunConfig config, int maxRounds = 3, int maxCandidates = 6, Action<string>? log = null,
        CancellationToken cancel = default)
    {
        var rounds = new List<DoctorRound>();
        var current = Diagnoser.Run(config, cancel: cancel);
        var start = current.Fit.Config;
        for (int round = 1; round <= maxRounds && !Fits(current.Fit) && !cancel.IsCancellationRequested; round++)
        {
            var candidates = Candidates(current, start).Take(maxCandidates).ToList();
            if (candidates.Count == 0) break;
            log?.Invoke($"round {round}: replaying {candidates.Count} fixes");
            var replays = new Replay[candidates.Count];
            double baseline = current.Fit.Evaluation.Mse;
            Parallel.For(0, candidates.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, i =>
            {
                var (fix, code, patched) = candidates[i];
                var result = Diagnoser.Run(patched, cancel: cancel);
                bool works = result.Fit.StopReason != Training.StopReason.Diverged && result.Fit.Evaluation.Mse <= RequiredImprovement * baseline;
                replays[i] = new Replay(fix, code, patched, result, works);
            });
            var chosen = replays.Where(r => r.Works).MinBy(r => r.Evaluation.Mse);
            rounds.Add(new DoctorRound(round, start, current, replays, chosen));
            if (chosen is null) break;
            (current, start) = (chosen.Result, chosen.Result.Fit.Config);
        }
        return new DoctorResult(rounds, current, Fits(current.Fit));
    }

    /// <summary>The fit's verdict: the requested goal if there is one, else NeuralFit's default (<see cref="Verdict"/>).</summary>
    public static bool Fits(FitResult r) => r.Verdict.Fitted;

    /// <summary>
    /// Fixes in the order of the cause chain (root causes first), then the other findings by severity, then
    /// NeuralFit's recommended configuration. Patches that change nothing, or repeat one already listed, are dropped.
    /// </summary>
    static IEnumerable<(Fix Fix, string Code, RunConfig Patched)> Candidates(DiagnosisResult d, RunConfig start)
    {
        var chain = d.CauseChain.Select(c => c.Code).ToList();
        var ordered = d.Findings
            .Where(f => f.Severity >= Severity.Warning)
            .OrderBy(f => chain.IndexOf(f.Code) is var i && i >= 0 ? i : int.MaxValue)
            .ThenByDescending(f => f.Severity);
        var fixes = ordered.SelectMany(f => f.Fixes.Select(x => (Fix: x, f.Code)))
            .Append((Recommended(start), "recommended"))
            .Concat(Refinements(start).Select(x => (Fix: x, Code: "refinement")));
        var seen = new HashSet<string>();
        var before = ConfigReader.ToJson(start);
        foreach (var (fix, code) in fixes)
        {
            RunConfig patched;
            try { patched = Defaults.Complete(ConfigReader.ApplyPatch(start, fix.Patch, "fix")); }
            catch (InputError) { continue; }
            var after = ConfigReader.ToJson(patched);
            var diff = new JsonObject();
            foreach (var (key, value) in after)
                if (!JsonNode.DeepEquals(value, before[key])) diff[key] = value?.DeepClone();
            if (diff.Count == 0 || !seen.Add(diff.ToJsonString())) continue;
            yield return (fix with { Patch = diff }, code, patched);
        }
    }

    /// <summary>When no finding explains what is left (a fair fit that is not yet good), the usual next moves.</summary>
    static IEnumerable<Fix> Refinements(RunConfig start)
    {
        if (!start.Optimizer.IsWholeBatch()) yield return Fix.Of("train 4× longer", ("steps", Math.Min(start.Steps * 4, 1_000_000)));
        if (start.Optimizer is not (OptimizerKind.Adam or OptimizerKind.AdamW))
            yield return Fix.Of("use Adam at 1e-3 with a cosine schedule", ("optimizer", "adam"), ("learningRate", 1e-3), ("schedule", "cosine"));
        else if (start.Schedule.Kind == Training.Schedules.ScheduleKind.Constant)
            yield return Fix.Of("decay the learning rate along a cosine", ("schedule", "cosine"));
    }

    /// <summary>NeuralFit's own choice of model and training for this problem, as a patch.</summary>
    static Fix Recommended(RunConfig start)
    {
        var problemKeys = new HashSet<string> { "target", "domain", "data", "targetColumn", "evalDomain", "evalPoints", "seed", "precision", "goalMse", "goalMaxError", "testFraction", "displayStep" };
        var fresh = new RunConfig { Given = new HashSet<string>(start.Given.Where(problemKeys.Contains)) };
        foreach (var key in problemKeys.Where(start.IsGiven))
            fresh = Settings.ByKey[key].Write(start) is JsonNode node
                ? ConfigReader.ApplyPatch(fresh, new JsonObject { [key] = node.DeepClone() }, "fix")
                : fresh;
        var recommended = Defaults.Complete(fresh);
        var patch = new JsonObject();
        foreach (var s in Settings.All.Where(s => !problemKeys.Contains(s.Key)))
            if (s.Write(recommended) is JsonNode node) patch[s.Key] = node.DeepClone();
        return new Fix("use NeuralFit's recommended model and training for this problem", patch);
    }
}
