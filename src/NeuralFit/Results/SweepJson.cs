using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Sweeps;

namespace NeuralFit.Results;

/// <summary>A sweep's results as JSON and as CSV (one row per run, the grid's keys first).</summary>
public static class SweepJson
{
    public static JsonObject Build(SweepSpec spec, IReadOnlyList<SweepRun> runs)
    {
        var best = Sweeper.Best(runs);
        return new JsonObject
        {
            ["base"] = ConfigReader.ToJson(spec.Base),
            ["grid"] = new JsonObject(spec.Grid.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)new JsonArray(a.Values.Select(v => v?.DeepClone()).ToArray())))),
            ["best"] = best?.Point.Index,
            ["runs"] = new JsonArray(runs.Select(r => (JsonNode)new JsonObject
            {
                ["index"] = r.Point.Index,
                ["values"] = new JsonObject(r.Point.Values.Select(v => KeyValuePair.Create(v.Key, v.Value?.DeepClone()))),
                ["config"] = ConfigReader.ToJson(r.Result.Config),
                ["steps"] = r.Result.Steps,
                ["wallSeconds"] = ResultJson.Number(r.Result.WallSeconds),
                ["stepsPerSecond"] = ResultJson.Number(r.Result.StepsPerSecond),
                ["stopReason"] = ResultJson.Kebab(r.Result.StopReason.ToString()),
                ["evaluation"] = ResultJson.Evaluation(r.Result.Evaluation),
            }).ToArray()),
        };
    }

    public static string Csv(SweepSpec spec, IReadOnlyList<SweepRun> runs)
    {
        var s = new StringBuilder();
        var header = spec.Grid.Select(a => a.Key).Concat(["mse", "rmse", "maxAbsError", "r2", "steps", "wallSeconds", "stepsPerSecond", "stopReason"]);
        s.AppendLine(string.Join(",", header.Select(Field)));
        foreach (var r in runs)
        {
            var e = r.Result.Evaluation;
            var cells = r.Point.Values.Select(v => Text(v.Value))
                .Concat(new[] { e.Mse, e.Rmse, e.MaxAbsError, e.R2 }.Select(Number))
                .Append(r.Result.Steps.ToString(CultureInfo.InvariantCulture))
                .Append(Number(r.Result.WallSeconds)).Append(Number(r.Result.StepsPerSecond))
                .Append(ResultJson.Kebab(r.Result.StopReason.ToString()));
            s.AppendLine(string.Join(",", cells.Select(Field)));
        }
        return s.ToString();
    }

    /// <summary>A grid value as a person writes it: strings bare, lists as JSON.</summary>
    public static string Text(JsonNode? v) => v is JsonValue jv && jv.TryGetValue(out string? text) ? text : v?.ToJsonString() ?? "null";

    static string Number(double v) => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    static string Field(string f) => f.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + f.Replace("\"", "\"\"") + "\"" : f;
}
