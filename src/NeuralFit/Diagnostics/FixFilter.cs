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
internal static class FixFilter
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

    /// <summary>
    /// The same list, filtered when first read: a replication of 45 runs reads no fixes, and filtering parses each
    /// patch (a tenth of a second of compiling the JSON reader, for nothing).
    /// </summary>
    public static IReadOnlyList<Fix> Deferred(IReadOnlyList<Fix> fixes, RunConfig run) =>
        fixes.Count == 0 ? fixes : new DeferredList(new Lazy<IReadOnlyList<Fix>>(() => Applicable(fixes, run)));

    sealed class DeferredList(Lazy<IReadOnlyList<Fix>> list) : IReadOnlyList<Fix>
    {
        public Fix this[int index] => list.Value[index];
        public int Count => list.Value.Count;
        public IEnumerator<Fix> GetEnumerator() => list.Value.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
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
            bool inForce = SettingUse.Uses(run, key) && JsonNode.DeepEquals(setting.Effective(run), setting.Effective(patched));
            if (SettingUse.Uses(patched, key) && !inForce) patch[key] = value?.DeepClone();
            else if (patch.Count == 0) return null; // the fix's own change does not apply
        }
        return patch.Count == 0 ? null : fix with { Patch = patch };
    }
}
