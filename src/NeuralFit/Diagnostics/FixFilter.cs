using System.Text.Json.Nodes;
using NeuralFit.Configuration;

namespace NeuralFit.Diagnostics;

/// <summary>
/// One place keeps every finding's fixes true to the run they would change: a key the patched run would not use
/// (a learning rate for lbfgs or lm, a batch size for a whole-batch solver, see <see cref="SettingUse"/>) is dropped,
/// as is a key the run uses and already sets to the value the fix asks for. A fix whose first key (the change it is
/// named for: "use Levenberg–Marquardt" for {"optimizer": "lm", "steps": 500}) is dropped so goes whole, as does one
/// left with nothing to change or repeating one listed before it.
/// </summary>
public static class FixFilter
{
    public static IReadOnlyList<Fix> Applicable(IEnumerable<Fix> fixes, RunConfig run)
    {
        var kept = new List<Fix>();
        var seen = new HashSet<string>();
        foreach (var fix in fixes)
        {
            if (Applicable(fix, run) is not { } applicable || !seen.Add(applicable.PatchText)) continue;
            kept.Add(applicable);
        }
        return kept;
    }

    /// <summary>The fix with only the keys that change what the run does, or null when none is left.</summary>
    public static Fix? Applicable(Fix fix, RunConfig run)
    {
        RunConfig patched;
        try { patched = ConfigReader.ApplyPatch(run, fix.Patch, "fix"); }
        catch (InputError) { return null; }
        var patch = new JsonObject();
        foreach (var (key, value) in fix.Patch)
        {
            var setting = Settings.ByKey[key];
            bool inForce = SettingUse.Uses(run, key) && JsonNode.DeepEquals(setting.Write(run), setting.Write(patched));
            if (SettingUse.Uses(patched, key) && !inForce) patch[key] = value?.DeepClone();
            else if (patch.Count == 0) return null; // the fix's own change does not apply
        }
        return patch.Count == 0 ? null : fix with { Patch = patch };
    }
}
