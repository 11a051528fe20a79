using System.Text.Json.Nodes;

namespace NeuralFit.Configuration;

/// <summary>
/// One configuration key: its JSON name, its flag, a line of help, how to read it into a <see cref="RunConfig"/>
/// and how to write it back. The table of them, <see cref="Settings"/>, drives the file reader, the flags, --help
/// and the effective configuration in the result JSON, so the four can never disagree.
/// </summary>
public sealed record Setting(
    string Key,
    string Flag,
    string Help,
    Func<RunConfig, ConfigValue, RunConfig> Read,
    Func<RunConfig, JsonNode?> Write,
    bool Repeatable = false);
