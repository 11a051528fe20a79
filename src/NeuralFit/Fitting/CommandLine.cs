using System.Globalization;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;

namespace NeuralFit.Fitting;

/// <summary>
/// The `neuralfit` command that reruns a configuration: one flag per setting the user gave (for a configuration built
/// in code that marks none, per setting away from its conventional value), quoted for a POSIX shell. What the verdict
/// offers as the next step, so a user can copy it as it is.
/// </summary>
internal static class CommandLine
{
    /// <summary>Settings that belong to one run's outputs, not to the problem: a rerun must not reuse them (a checkpoint
    /// folder that already holds a checkpoint is refused).</summary>
    static readonly HashSet<string> RunOnly = ["checkpoint", "checkpointEvery"];

    public static string For(string command, RunConfig c, IEnumerable<(string Flag, string Value)>? extra = null)
    {
        if (c.Rows is not null) // arrays given in code: the next step is a call on the same arrays, or a file for the command
            return command == "diagnose" ? "Diagnose(x, y) on the same arrays and options"
                : $"write x and y as the columns of a CSV file and run `neuralfit {command} --data file.csv` on it";
        var conventional = new RunConfig();
        var parts = new List<string> { "neuralfit", command };
        foreach (var s in Settings.All)
        {
            if (RunOnly.Contains(s.Key)) continue;
            var value = s.Effective(c);
            bool include = c.Options is not null ? c.IsGiven(s.Key) : !JsonNode.DeepEquals(value, s.Effective(conventional));
            if (!include || value is null) continue;
            if (s.Key == "data" && c.Data is { } data && !Path.IsPathRooted(data) && c.BaseDirectory != ".")
                value = JsonValue.Create(Path.Combine(c.BaseDirectory, data));
            foreach (var text in FlagValues(s, value)) parts.AddRange([s.Flag, Quote(text)]);
        }
        foreach (var (flag, text) in extra ?? []) parts.AddRange([flag, Quote(text)]);
        return string.Join(" ", parts);
    }

    /// <summary>A repeatable flag once per item (--domain 1:5 --domain 1:5); a list as one comma-separated value (--layers 50,10).</summary>
    static IEnumerable<string> FlagValues(Setting s, JsonNode value) => value switch
    {
        JsonArray a when s.Repeatable => a.Select(Text),
        JsonArray a when a.Count == 0 => ["none"],
        JsonArray a => [string.Join(",", a.Select(Text))],
        _ => [Text(value)],
    };

    static string Text(JsonNode? n) => n switch
    {
        JsonValue v when v.TryGetValue(out string? s) => s,
        JsonValue v when v.TryGetValue(out double d) => d.ToString("R", CultureInfo.InvariantCulture).Replace("E", "e"),
        null => "",
        _ => n.ToJsonString(),
    };

    /// <summary>As typed: bare when every character is safe, in double quotes when nothing in it is special there, else single quotes.</summary>
    public static string Quote(string text)
    {
        if (text.Length > 0 && text.All(ch => char.IsAsciiLetterOrDigit(ch) || "-_.,:/+=@%".Contains(ch))) return text;
        if (!text.Any(ch => "\"$`\\!".Contains(ch))) return $"\"{text}\"";
        return $"'{text.Replace("'", "'\\''")}'";
    }
}
