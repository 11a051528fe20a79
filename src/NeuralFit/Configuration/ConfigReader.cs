using System.Text.Json.Nodes;
using System.Text.Json;
using NeuralFit.Files;

namespace NeuralFit.Configuration;

/// <summary>Reads configuration files, flags and patches into <see cref="FitOptions"/>, through <see cref="Settings"/>.</summary>
internal static class ConfigReader
{
    /// <summary>Config files are small; anything larger is refused before it is read.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Keys a file may carry for people, which are not settings.</summary>
    static readonly HashSet<string> Annotations = ["description", "name", "$schema", "comment"];

    /// <summary>How configuration files are read: bounded, whatever the path names (a pipe, /dev/stdin, a device).</summary>
    public static readonly Files.InputFile Input = new("config file", "a configuration", MaxFileBytes);

    public static FitOptions FromFile(string path, FitOptions? start = null)
    {
        string text = Input.ReadAllText(path);
        var config = FromJson(text, Path.GetFileName(path), start ?? new FitOptions());
        return config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." };
    }

    public static FitOptions FromJson(string json, string source, FitOptions start)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new InputError($"{source} is empty: expected a JSON object of settings, such as {{\"target\": \"ln(x)\"}}");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16, CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }); }
        catch (JsonException e)
        {
            throw new InputError($"{source}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}");
        }
        using (doc)
        {
            Files.JsonText.Check(doc.RootElement, source);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new InputError($"{source}: expected a JSON object of settings, such as {{\"target\": \"ln(x)\"}}");
            var config = start;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (Annotations.Contains(property.Name)) continue;
                config = Apply(config, property.Name, new JsonConfigValue($"{source}: {property.Name}", property.Value), source);
            }
            return config;
        }
    }

    /// <summary>Applies a configuration patch, e.g. a fix proposed by the diagnosis.</summary>
    public static FitOptions ApplyPatch(FitOptions config, JsonObject patch, string source = "patch") =>
        FromJson(patch.ToJsonString(), source, config);

    /// <summary>
    /// A patch applied to a configuration the engine runs: its values with the patch's, and the patch's keys counted as
    /// the caller's from then on (every key stays the caller's in a configuration built whole in code).
    /// </summary>
    public static RunConfig ApplyPatch(RunConfig config, JsonObject patch, string source = "patch") =>
        RunConfig.Over(config, ApplyPatch(new FitOptions(), patch, source)) with
        {
            Options = ApplyPatch(config.Options ?? config.ToOptions(), patch, source),
        };

    public static FitOptions Apply(FitOptions config, string key, ConfigValue value, string source)
    {
        if (!Settings.ByKey.TryGetValue(key, out var setting))
            throw new InputError($"{source}: unknown key '{key}'{Suggestions.Nearest(key, Settings.ByKey.Keys)}");
        return setting.Read(config, value);
    }

    /// <summary>
    /// Options set in code, checked as a file's are: each set value is read back through its setting, so a value out
    /// of range is refused with the same words, naming the property ("FitOptions.Steps: must be at least 0, got -5").
    /// </summary>
    public static FitOptions Check(FitOptions options)
    {
        var read = new FitOptions();
        foreach (var s in Settings.All)
            if (s.Write(options) is JsonNode node)
            {
                using var doc = JsonDocument.Parse(node.ToJsonString());
                read = s.Read(read, new JsonConfigValue(s.Name, doc.RootElement.Clone()));
            }
        return options;
    }

    /// <summary>
    /// The effective configuration as JSON, every key written that reads back as it is: a data file's inputs' ranges
    /// come from the file, and a configuration that also gave them as "domain" would be refused ("--domain does not
    /// apply to --data"), so a data run's configuration is written without them, and a checkpoint, a saved model or
    /// a doctor's --save-config of one can be used again.
    /// </summary>
    public static JsonObject ToJson(RunConfig config)
        => ToJson(config.ToOptions());

    /// <summary>The options that are set, as JSON (a data fit's domain left out, as above).</summary>
    public static JsonObject ToJson(FitOptions config)
    {
        var o = new JsonObject();
        foreach (var s in Settings.All)
        {
            if (config.Data is not null && s.Key == "domain") continue;
            var node = s.Write(config);
            if (node is not null) o[s.Key] = node;
        }
        return o;
    }
}
