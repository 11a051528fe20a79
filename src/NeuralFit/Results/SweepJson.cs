using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Sweeps;

namespace NeuralFit.Results;

/// <summary>
/// A sweep's results as JSON and as CSV (one row per run, the grid's keys first). The CSV and the terminal's table
/// are made from the JSON, so a sweep merged from its shards' JSON files writes what the whole sweep would have.
/// </summary>
internal static class SweepJson
{
    /// <summary>The CSV's columns after the grid's keys.</summary>
    static readonly string[] MetricColumns = ["mse", "rmse", "maxAbsError", "r2", "steps", "wallSeconds", "stepsPerSecond", "stopReason"];

    /// <summary>base, grid, (a shard's number and count as "shard",) best, runs.</summary>
    public static JsonObject Build(SweepSpec spec, IReadOnlyList<SweepRun> runs)
    {
        var list = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
        {
            ["index"] = r.Point.Index,
            ["values"] = new JsonObject(r.Point.Values.Select(v => KeyValuePair.Create(v.Key, v.Value?.DeepClone()))),
            ["config"] = ConfigReader.ToJson(r.Result.Config),
            ["steps"] = r.Result.Steps,
            ["wallSeconds"] = ResultJson.Number(r.Result.WallSeconds),
            ["stepsPerSecond"] = ResultJson.Number(r.Result.StepsPerSecond),
            ["stopReason"] = ResultJson.Kebab(r.Result.StopReason.ToString()),
            ["evaluation"] = ResultJson.Evaluation(r.Result.Evaluation),
        }).ToArray());
        var sweep = new JsonObject
        {
            ["base"] = ConfigReader.ToJson(spec.Base),
            ["grid"] = new JsonObject(spec.Grid.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonArray(a.Values.Select(v => v?.DeepClone()).ToArray())))),
        };
        if (spec.Shard is { } shard) sweep["shard"] = new JsonObject { ["number"] = shard.Number, ["count"] = shard.Count };
        sweep["best"] = Best(list);
        sweep["runs"] = list;
        return sweep;
    }

    /// <summary>The index of the run with the lowest grid MSE (finite; the first of equals), or null: as
    /// <see cref="Sweeper.Best"/> chooses, from the JSON.</summary>
    public static int? Best(JsonArray runs)
    {
        (int Index, double Mse)? best = null;
        foreach (var run in runs)
            if (run?["evaluation"]?["mse"] is JsonValue mse && mse.GetValue<double>() is var v && double.IsFinite(v) && (best is null || v < best.Value.Mse))
                best = (run["index"]!.GetValue<int>(), v);
        return best?.Index;
    }

    public static string Csv(SweepSpec spec, IReadOnlyList<SweepRun> runs) => Csv(Build(spec, runs));

    /// <summary>One row per run of a sweep's JSON: its grid values, then the <see cref="MetricColumns"/>.</summary>
    public static string Csv(JsonObject sweep)
    {
        var s = new StringBuilder();
        var keys = sweep["grid"]!.AsObject().Select(a => a.Key).ToList();
        s.AppendLine(string.Join(",", keys.Concat(MetricColumns).Select(Field)));
        foreach (var run in sweep["runs"]!.AsArray())
        {
            var e = run!["evaluation"]!;
            var cells = keys.Select(k => Text(run["values"]![k]))
                .Concat(new[] { e["mse"], e["rmse"], e["maxAbsError"], e["r2"] }.Select(Number))
                .Append(run["steps"]!.ToJsonString())
                .Append(Number(run["wallSeconds"])).Append(Number(run["stepsPerSecond"]))
                .Append(run["stopReason"]!.GetValue<string>());
            s.AppendLine(string.Join(",", cells.Select(Field)));
        }
        return s.ToString();
    }

    /// <summary>A grid value as a person writes it: strings bare, lists as JSON.</summary>
    public static string Text(JsonNode? v) => v is JsonValue jv && jv.TryGetValue(out string? text) ? text : v?.ToJsonString() ?? "null";

    /// <summary>A number as the CSV writes it: shortest round-trip form; empty for what JSON holds as null (NaN, ∞).</summary>
    static string Number(JsonNode? v) => v is null ? "" : v.GetValue<double>().ToString("R", CultureInfo.InvariantCulture);

    static string Field(string f) => f.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + f.Replace("\"", "\"\"") + "\"" : f;
}
