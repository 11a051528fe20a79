namespace NeuralFit.Networks;

/// <summary>
/// NEURALFIT_SEGMENTS: a diagnostic switch for the one-input segments path, read here and nowhere else, once per
/// process. <c>always</c> runs segments wherever they apply, <c>never</c> runs every layer as a product, <c>auto</c>
/// or unset lets the plan's cost model choose. It exists to time whole runs on each path (the cost model was fitted
/// that way); anything else is ignored with a note in the plan's reason.
/// </summary>
internal static class SegmentsOverride
{
    public const string EnvironmentVariable = "NEURALFIT_SEGMENTS";

    /// <summary>True: always; false: never; null: the cost model decides.</summary>
    public static bool? Forced { get; }

    /// <summary>Why <see cref="Forced"/> is what it is, when the variable was set.</summary>
    public static string? Note { get; }

    static SegmentsOverride() => (Forced, Note) = Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static (bool? Forced, string? Note) Parse(string? requested) => requested?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => (null, null),
        "always" => (true, $"{EnvironmentVariable}=always"),
        "never" => (false, $"{EnvironmentVariable}=never"),
        _ => (null, $"{EnvironmentVariable}={requested} is not always, never or auto; the cost model decides"),
    };
}
