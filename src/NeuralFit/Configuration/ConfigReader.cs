using System.Text.Json.Nodes;
using System.Text.Json;
using NeuralFit.Files;

namespace NeuralFit.Configuration;

/// <summary>Reads configuration files, flags and patches into a <see cref="RunConfig"/>, through <see cref="Settings"/>.</summary>
public static class ConfigReader
{
    /// <summary>Config files are small; anything larger is refused before it is read.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <summary>Keys a file may carry for people, which are not settings.</summary>
    static readonly HashSet<string> Annotations = ["description", "name", "$schema", "comment"];

    /// <summary>How configuration files are read: bounded, whatever the path names (a pipe, /dev/stdin, a device).</summary>
    public static readonly Files.InputFile Input = new("config file", "a configuration", MaxFileBytes);

    public static RunConfig FromFile(string path, RunConfig? start = null)
    {
        string text = Input.ReadAllText(path);
        var config = FromJson(text, Path.GetFileName(path), start ?? new RunConfig());
        return config with { BaseDirectory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "." };
    }

    public static RunConfig FromJson(string json, string source, RunConfig start)
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
    public static RunConfig ApplyPatch(RunConfig config, JsonObject patch, string source = "patch") =>
        FromJson(patch.ToJsonString(), source, config);

    public static RunConfig Apply(RunConfig config, string key, ConfigValue value, string source)
    {
        if (!Settings.ByKey.TryGetValue(key, out var setting))
            throw new InputError($"{source}: unknown key '{key}'{Suggestions.Nearest(key, Settings.ByKey.Keys)}");
        var updated = setting.Read(config, value);
        // keys that share a flag (targetColumn, targetColumns: --y) are read by one reader and count as given together
        var given = new HashSet<string>(config.Given) { key };
        given.UnionWith(Settings.All.Where(s => s.Flag == setting.Flag).Select(s => s.Key));
        return updated with { Given = given };
    }

    /// <summary>
    /// The effective configuration as JSON, every key written that reads back as it is: a data file's inputs' ranges
    /// come from the file, and a configuration that also gave them as "domain" would be refused ("--domain does not
    /// apply to --data"), so a data run's configuration is written without them, and a checkpoint, a saved model or
    /// a doctor's --save-config of one can be used again.
    /// </summary>
    public static JsonObject ToJson(RunConfig config)
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
