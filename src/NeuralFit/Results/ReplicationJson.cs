using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Question;
using NeuralFit.Training.Observers;

namespace NeuralFit.Results;

/// <summary>The `neuralfit seed` result: one entry per variant, with the DESIGN.md keys; and one run as its journal keeps it.</summary>
internal static class ReplicationJson
{
    public static JsonObject Build(IReadOnlyList<VariantSummary> summaries, int seeds) => new()
    {
        ["seeds"] = seeds,
        ["successMse"] = QuestionVariants.SuccessMse,
        ["variants"] = new JsonArray(summaries.Select(s => (JsonNode)new JsonObject
        {
            ["name"] = s.Variant.Name,
            ["source"] = s.Variant.Source,
            ["claim"] = s.Variant.Claim,
            ["test"] = s.Variant.Test,
            ["verdict"] = s.Verdict,
            ["observed"] = s.Observed,
            ["heldByOwnTest"] = s.HeldByOwnTest,
            ["heldAtBar"] = s.HeldAtBar,
            ["config"] = ConfigReader.ToJson(s.Variant.Config),
            ["runs"] = s.Runs.Count,
            ["successes"] = s.Successes,
            ["medianMse"] = ResultJson.Number(s.MedianMse),
            ["medianR2"] = ResultJson.Number(s.MedianR2),
            ["medianMaxAbsError"] = ResultJson.Number(s.MedianMaxAbsError),
            ["medianWallSeconds"] = ResultJson.Number(s.MedianWallSeconds),
            ["dominantFinding"] = s.DominantFinding,
            ["findings"] = new JsonObject(s.FindingCounts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["perSeed"] = new JsonArray(s.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["seed"] = r.Seed,
                ["mse"] = ResultJson.Number(r.Mse),
                ["maxAbsError"] = ResultJson.Number(r.MaxAbsError),
                ["r2"] = ResultJson.Number(r.R2),
                ["wallSeconds"] = ResultJson.Number(r.WallSeconds),
                ["causeChain"] = new JsonArray(r.CauseChain.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            }).ToArray()),
        }).ToArray()),
    };

    /// <summary>A finished run, whole, as the journal of an interrupted seed keeps it.</summary>
    public static JsonObject Run(ReplicaRun r) => new()
    {
        ["seed"] = r.Seed,
        ["mse"] = ResultJson.Number(r.Mse),
        ["maxAbsError"] = ResultJson.Number(r.MaxAbsError),
        ["r2"] = ResultJson.Number(r.R2),
        ["wallSeconds"] = ResultJson.Number(r.WallSeconds),
        ["outputMean"] = ResultJson.Number(r.OutputMean),
        ["outputStd"] = ResultJson.Number(r.OutputStd),
        ["errorCodes"] = Strings(r.ErrorCodes),
        ["codes"] = Strings(r.Codes),
        ["causeChain"] = Strings(r.CauseChain),
        ["curve"] = new JsonArray(r.Curve.Select(ResultJson.Number).ToArray()),
        ["history"] = new JsonArray(r.History.Select(h => (JsonNode)new JsonArray(h.Step, ResultJson.Number(h.Loss))).ToArray()),
    };

    public static ReplicaRun ReadRun(JsonObject o) =>
        new(o["seed"]!.GetValue<ulong>(), Number(o["mse"]), Number(o["maxAbsError"]), Number(o["r2"]), Number(o["wallSeconds"]),
            Number(o["outputMean"]), Number(o["outputStd"]), Strings(o["errorCodes"]), Strings(o["causeChain"]))
        {
            Codes = Strings(o["codes"]),
            Curve = o["curve"]!.AsArray().Select(Number).ToArray(),
            History = o["history"]!.AsArray().Select(h => new HistoryPoint(h![0]!.GetValue<int>(), Number(h[1]), double.NaN)).ToList(),
        };

    static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
    static List<string> Strings(JsonNode? a) => a!.AsArray().Select(v => v!.GetValue<string>()).ToList();
    static double Number(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();
}
