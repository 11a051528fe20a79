using System.Text.Json.Nodes;

namespace NeuralFit.Configuration;

/// <summary>
/// One configuration key: its JSON name, its flag, a line of help, how to read it into <see cref="FitOptions"/> and
/// how to write it back (null when it is not set). The table of them, <see cref="Settings"/>, drives the file reader,
/// the flags, --help and the effective configuration in the result JSON, so the four can never disagree.
/// </summary>
internal sealed record Setting(
    string Key,
    string Flag,
    string Help,
    Func<FitOptions, ConfigValue, FitOptions> Read,
    Func<FitOptions, JsonNode?> Write,
    bool Repeatable = false)
{
    /// <summary>The <see cref="FitOptions"/> property: the key in PascalCase ("learningRate" → LearningRate).</summary>
    public string Property => char.ToUpperInvariant(Key[0]) + Key[1..];

    /// <summary>How library messages name the setting: "FitOptions.LearningRate" (the command prints its flag instead).</summary>
    public string Name => $"{nameof(FitOptions)}.{Property}";

    public bool IsSet(FitOptions o) => Write(o) is not null;

    /// <summary>The value a configuration runs with (null for a setting that is off, such as no clip norm).</summary>
    public JsonNode? Effective(RunConfig c) => Write(c.ToOptions());
}
