using System.Text.Json.Nodes;
using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Files;

namespace NeuralFit.Sweeps;

/// <summary>One point of the grid: the values it sets, and the configuration they give.</summary>
internal sealed record SweepPoint(int Index, IReadOnlyList<(string Key, JsonNode? Value)> Values, RunConfig Config);

/// <summary>
/// A sweep file: a base run configuration and a grid of configuration keys, each with a list of values; one run per
/// combination (the Cartesian product, the last key varying fastest).
/// <code>
/// { "base": { "target": "ln(x)", "domain": "0.01:1", "layers": [50, 10], "activation": "relu", "steps": 3000 },
///   "grid": { "init": ["he-uniform", "truncated-normal:0.1"], "optimizer": ["adam", "sgd"],
///             "learningRate": [1e-3, 1e-2], "seed": [1, 2, 3] } }
/// </code>
/// Every key of a run configuration works in "base" and in "grid" (grid values go through the same settings table
/// as config files and flags, so errors name the key and value). Every combination is checked before any run starts.
/// </summary>
internal sealed record SweepSpec(RunConfig Base, IReadOnlyList<(string Key, IReadOnlyList<JsonNode?> Values)> Grid, IReadOnlyList<SweepPoint> Points)
{
    public const int MaxRuns = 10_000;

    /// <summary>The part of the grid that <see cref="Points"/> holds, or null for the whole grid.</summary>
    public SweepShard? Shard { get; init; }

    /// <summary>The runs of the whole grid (a shard's <see cref="Points"/> are some of them).</summary>
    public int GridSize => Grid.Aggregate(1, (runs, axis) => runs * axis.Values.Count);

    /// <summary>This sweep with only the points that <paramref name="shard"/> runs.</summary>
    public SweepSpec ForShard(SweepShard shard) =>
        this with { Points = Points.Where(p => shard.Holds(p.Index)).ToList(), Shard = shard };

    public static SweepSpec FromFile(string path)
    {
        string text = new Files.InputFile("sweep file", "a sweep file", ConfigReader.MaxFileBytes).ReadAllText(path);
        return Parse(text, Path.GetFileName(path), Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    public static SweepSpec Parse(string json, string source, string baseDirectory)
    {
        JsonNode? root;
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 16 });
            Files.JsonText.Check(doc.RootElement, source);
            root = JsonNode.Parse(doc.RootElement.GetRawText());
        }
        catch (JsonException e) { throw new InputError($"{source}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}"); }
        if (root is not JsonObject o) throw new InputError($"{source}: expected an object {{\"base\": {{...}}, \"grid\": {{\"key\": [values]}}}}");
        foreach (var (key, _) in o)
            if (key is not ("base" or "grid" or "description" or "name" or "comment" or "$schema"))
                throw new InputError($"{source}: unknown key '{key}'{Suggestions.Nearest(key, ["base", "grid"])}; a sweep has \"base\" and \"grid\"");

        var start = new FitOptions { BaseDirectory = baseDirectory };
        var baseConfig = RunConfig.From(o["base"] switch
        {
            null => start,
            JsonObject b => ConfigReader.FromJson(b.ToJsonString(), $"{source}: base", start) with { BaseDirectory = baseDirectory },
            _ => throw new InputError($"{source}: base: expected an object of run settings"),
        });
        if (o["grid"] is not JsonObject g || g.Count == 0)
            throw new InputError($"{source}: grid: expected an object of setting → list of values, such as {{\"seed\": [1, 2, 3]}}");

        var grid = new List<(string, IReadOnlyList<JsonNode?>)>();
        long runs = 1;
        foreach (var (key, value) in g)
        {
            if (!Settings.ByKey.ContainsKey(key))
                throw new InputError($"{source}: grid: unknown key '{key}'{Suggestions.Nearest(key, Settings.ByKey.Keys)}");
            if (value is not JsonArray list || list.Count == 0)
                throw new InputError($"{source}: grid: {key}: expected a non-empty list of values, such as [{Example(key)}]");
            grid.Add((key, list.Select(v => v?.DeepClone()).ToList()));
            runs *= list.Count;
            if (runs > MaxRuns) throw new InputError($"{source}: grid: more than {MaxRuns:N0} combinations; sweep fewer values");
        }
        return new SweepSpec(baseConfig, grid, Expand(baseConfig, grid, source));
    }

    static List<SweepPoint> Expand(RunConfig baseConfig, List<(string Key, IReadOnlyList<JsonNode?> Values)> grid, string source)
    {
        var points = new List<SweepPoint>();
        var choice = new int[grid.Count];
        while (true)
        {
            var values = grid.Select((axis, i) => (axis.Key, axis.Values[choice[i]])).ToList();
            var patch = new JsonObject();
            foreach (var (key, value) in values) patch[key] = value?.DeepClone();
            var config = ConfigReader.ApplyPatch(baseConfig, patch, $"{source}: grid");
            // Each run keeps its checkpoints in a folder of its own inside the one named, as runs must never share one.
            if (config.Checkpoint is { } folder) config = config with { Checkpoint = Path.Combine(folder, RunFolder(points.Count)) };
            Defaults.Complete(config); // fail now, with the sweep file named, rather than in the middle of the runs
            points.Add(new SweepPoint(points.Count, values, config));
            int axisIndex = grid.Count - 1;
            while (axisIndex >= 0 && ++choice[axisIndex] == grid[axisIndex].Values.Count) choice[axisIndex--] = 0;
            if (axisIndex < 0) return points;
        }
    }

    /// <summary>"run-00001": the folder of run 1 of a sweep inside the checkpoint folder (resume it with fit --resume).</summary>
    public static string RunFolder(int index) => $"run-{index + 1:D5}";

    static string Example(string key) => key switch
    {
        "seed" => "1, 2, 3",
        "learningRate" => "1e-3, 1e-2",
        "layers" => "[50, 10], [50, 50]",
        _ => "\"a\", \"b\"",
    };
}
