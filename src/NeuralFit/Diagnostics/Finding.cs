using System.Text.Json.Nodes;

namespace NeuralFit.Diagnostics;

public enum Severity { Info, Warning, Error }

/// <summary>A proposed change to the run, as a configuration patch, with why it should help.</summary>
public sealed record Fix(string Summary, JsonObject Patch)
{
    public string PatchText => Patch.ToJsonString();

    internal static Fix Of(string summary, params (string Key, object Value)[] patch)
    {
        var o = new JsonObject();
        foreach (var (key, value) in patch)
            o[key] = value switch
            {
                double d => JsonValue.Create(d),
                int i => JsonValue.Create(i),
                string s => JsonValue.Create(s),
                int[] a => new JsonArray(a.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                JsonNode n => n,
                _ => JsonValue.Create(value.ToString()),
            };
        return new Fix(summary, o);
    }
}

/// <summary>
/// One diagnosed problem, in the fixed vocabulary of <see cref="FindingCodes"/>: a severity, the measured evidence,
/// a message a person can act on, and ranked fixes.
/// </summary>
public sealed record Finding(string Code, Severity Severity, string Message)
{
    /// <summary>1-based layer the finding is about, if one.</summary>
    public int? Layer { get; init; }

    /// <summary>The numbers behind the finding: counts, steps, ratios.</summary>
    public JsonObject Evidence { get; init; } = [];

    public IReadOnlyList<Fix> Fixes { get; init; } = [];
}

/// <summary>The finding codes of DESIGN.md: the whole vocabulary a diagnosis may use.</summary>
public static class FindingCodes
{
    public const string CollapsedOutput = "collapsed-output";
    public const string DeadUnits = "dead-units";
    public const string SaturatedUnits = "saturated-units";
    public const string ExplodingGradients = "exploding-gradients";
    public const string VanishingGradients = "vanishing-gradients";
    public const string Diverged = "diverged";
    public const string LearningRateTooHigh = "learning-rate-too-high";
    public const string LearningRateTooLow = "learning-rate-too-low";
    public const string Plateau = "plateau";
    public const string BadInit = "bad-init";
    public const string UnscaledInputs = "unscaled-inputs";
    public const string UnscaledTargets = "unscaled-targets";
    public const string HeavyTailedTargets = "heavy-tailed-targets";
    public const string NonFiniteTargets = "non-finite-targets";
    public const string InsufficientCapacity = "insufficient-capacity";
    public const string Overfitting = "overfitting";
    public const string EffectivelyLinear = "effectively-linear";

    /// <summary>Added to DESIGN.md's vocabulary: training stopped while the loss was still falling steadily.</summary>
    public const string Undertrained = "undertrained";
}
