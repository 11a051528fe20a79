using NeuralFit.Configuration;

namespace NeuralFit.Question;

/// <summary>What a claim predicts for a variant's runs, so the replication can say whether it holds.</summary>
public enum Expectation
{
    /// <summary>The network collapses to a constant (the question's symptom).</summary>
    Collapses,
    /// <summary>The fit fails (does not reach the success threshold).</summary>
    Fails,
    /// <summary>The fit succeeds.</summary>
    Fits,
}

/// <summary>One scenario from the question thread: its configuration, who proposed it, and what they claimed.</summary>
public sealed record Variant(string Name, string Source, string Claim, Expectation Expected, RunConfig Config);
