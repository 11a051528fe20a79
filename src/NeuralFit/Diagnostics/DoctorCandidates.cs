using System.Text.Json.Nodes;
using NeuralFit.Configuration;

namespace NeuralFit.Diagnostics;

/// <summary>A fix the doctor may replay: its patch as the change it makes, the finding it came from, the run it gives,
/// and whether it keeps the network (widths and activation) or swaps it.</summary>
internal sealed record Candidate(Fix Fix, string FromCode, RunConfig Config, bool OtherNetwork);

/// <summary>
/// The fixes worth replaying for a diagnosed run, in order: each finding's first two fixes (a finding lists its best
/// first, and the diagnosis shows those two), along the cause chain (root causes first) and then by severity; then
/// NeuralFit's recommended training for this very network; then the findings' other fixes, the usual refinements,
/// and last NeuralFit's recommended model. Each patch is applied and completed with NeuralFit's
/// choices, and shown as the change it makes, restricted to settings the patched run uses (<see cref="SettingUse"/>);
/// a patch that changes nothing, or makes a run already listed, is dropped.
/// </summary>
internal static class DoctorCandidates
{
    /// <summary>Keys that say what is being fitted and how it is judged: a fix never changes them unless it says so.</summary>
    static readonly HashSet<string> ProblemKeys = ["target", "domain", "data", "targetColumn", "targetColumns", "evalDomain", "evalPoints", "seed", "precision", "goalMse", "goalMaxError", "testFraction", "displayStep"];

    const int FirstFixes = 2;

    public static IReadOnlyList<Candidate> For(RunOutcome current)
    {
        var start = current.Config;
        var chain = current.CauseChain.Select(c => c.Code).ToList();
        var findings = current.Findings
            .Where(f => f.Severity >= Severity.Warning)
            .OrderBy(f => chain.IndexOf(f.Code) is var i && i >= 0 ? i : int.MaxValue)
            .ThenByDescending(f => f.Severity)
            .ToList();
        var fixes = findings.SelectMany(f => f.Fixes.Take(FirstFixes).Select(x => (Fix: x, f.Code)))
            .Append((RecommendedTraining(start), "recommended"))
            .Concat(findings.SelectMany(f => f.Fixes.Skip(FirstFixes).Select(x => (Fix: x, f.Code))))
            .Concat(Refinements(start).Select(x => (Fix: x, Code: "refinement")))
            .Append((Recommended(start), "recommended"));
        var seen = new HashSet<string>();
        var before = ConfigReader.ToJson(start);
        var basis = Rerunnable(start);
        var candidates = new List<Candidate>();
        foreach (var (fix, code) in fixes)
        {
            RunConfig patched;
            try { patched = Defaults.Complete(ConfigReader.ApplyPatch(basis, fix.Patch, "fix")); }
            catch (InputError) { continue; }
            var diff = Change(before, patched);
            if (diff.Count == 0 || !seen.Add(ConfigReader.ToJson(patched).ToJsonString())) continue;
            candidates.Add(new Candidate(fix with { Patch = diff }, code, Rerunnable(patched), diff.ContainsKey("layers") || diff.ContainsKey("activation")));
        }
        return candidates;
    }

    /// <summary>
    /// A completed configuration as one that can be run (and completed) again: a data file's input ranges are the
    /// domain NeuralFit filled in from the file, and a data run refuses a domain given to it, so it goes back to unset.
    /// </summary>
    public static RunConfig Rerunnable(RunConfig completed) => completed.Data is null ? completed : completed with { Domain = new RunConfig().Domain };

    /// <summary>The settings of <paramref name="after"/> that differ from <paramref name="before"/> and that it uses.</summary>
    public static JsonObject Change(JsonObject before, RunConfig after)
    {
        var diff = new JsonObject();
        foreach (var (key, value) in ConfigReader.ToJson(after))
            if (SettingUse.Uses(after, key) && !JsonNode.DeepEquals(value, before[key])) diff[key] = value?.DeepClone();
        return diff;
    }

    /// <summary>When no finding explains what is left (a fair fit that is not yet good), the usual next moves.</summary>
    static IEnumerable<Fix> Refinements(RunConfig start)
    {
        if (start.Optimizer != OptimizerKind.Lm) yield return Fix.Of("train 4× longer", ("steps", Math.Min(start.Steps * 4, 1_000_000)));
        if (start.Optimizer is not (OptimizerKind.Adam or OptimizerKind.AdamW))
            yield return Fix.Of("use Adam at 1e-3 with a cosine schedule", ("optimizer", "adam"), ("learningRate", 1e-3), ("schedule", "cosine"));
        else if (start.Schedule.Kind == Training.Schedules.ScheduleKind.Constant)
            yield return Fix.Of("decay the learning rate along a cosine", ("schedule", "cosine"));
    }

    /// <summary>NeuralFit's own training for the user's network: its widths and activation kept, everything else chosen.</summary>
    static Fix RecommendedTraining(RunConfig start)
    {
        var network = new JsonObject { ["layers"] = Settings.ByKey["layers"].Effective(start), ["activation"] = Settings.ByKey["activation"].Effective(start) };
        var patch = Chosen(start, network, except: ["layers", "activation"]);
        return new Fix($"train this {Doctor.NetworkName(start)} network as NeuralFit would", patch);
    }

    /// <summary>NeuralFit's own choice of model and training for this problem, as a patch.</summary>
    static Fix Recommended(RunConfig start) =>
        new("use NeuralFit's recommended model and training for this problem", Chosen(start, [], except: []));

    /// <summary>What NeuralFit chooses for the problem of <paramref name="start"/> (its target, or its data file or rows)
    /// with <paramref name="fixedKeys"/> set.</summary>
    static JsonObject Chosen(RunConfig start, JsonObject fixedKeys, IReadOnlyCollection<string> except)
    {
        var fresh = new FitOptions { BaseDirectory = start.BaseDirectory };
        foreach (var key in ProblemKeys.Where(start.Chosen))
            if (Settings.ByKey[key].Effective(start) is JsonNode node)
                fresh = ConfigReader.ApplyPatch(fresh, new JsonObject { [key] = node.DeepClone() }, "fix");
        if (fixedKeys.Count > 0) fresh = ConfigReader.ApplyPatch(fresh, fixedKeys, "fix");
        // Arrays given in memory are no setting: the fresh run takes the same rows in place of a data file.
        var recommended = start.Rows is null ? Defaults.Complete(fresh)
            : Defaults.Complete(RunConfig.From(ConfigReader.Check(fresh)) with { Data = start.Data, Rows = start.Rows });
        var patch = new JsonObject();
        foreach (var s in Settings.All.Where(s => !ProblemKeys.Contains(s.Key) && !except.Contains(s.Key)))
            if (s.Effective(recommended) is JsonNode node) patch[s.Key] = node.DeepClone();
        return patch;
    }
}
