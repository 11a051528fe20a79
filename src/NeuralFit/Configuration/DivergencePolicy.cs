namespace NeuralFit.Configuration;

/// <summary>What training does when the loss or the weights blow up.</summary>
public enum DivergencePolicy
{
    /// <summary>Stop, report <c>diverged</c> with the step, and keep the best model seen.</summary>
    Stop,

    /// <summary>Restore the last good state, halve the learning rate and go on (a bounded number of times).</summary>
    Rollback,
}

internal static class DivergencePolicies
{
    public static readonly IReadOnlyDictionary<string, DivergencePolicy> Table = new Dictionary<string, DivergencePolicy>
    {
        ["stop"] = DivergencePolicy.Stop, ["rollback"] = DivergencePolicy.Rollback,
    };

    public static string Name(this DivergencePolicy v) => Choices.Name(Table, v);
}
