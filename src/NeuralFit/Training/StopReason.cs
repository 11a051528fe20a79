namespace NeuralFit.Training;

public enum StopReason { Completed, Diverged, EarlyStopped, Converged, Cancelled, TimeLimit, MemoryLimit }

internal static class StopReasons
{
    /// <summary>The reason as results, model files and checkpoints write it: kebab-case (early-stopped, time-limit).</summary>
    public static string Name(this StopReason reason) =>
        string.Concat(reason.ToString().Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));
}
