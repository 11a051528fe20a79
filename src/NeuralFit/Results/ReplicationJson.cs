using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Question;

namespace NeuralFit.Results;

/// <summary>The `neuralfit seed` result: one entry per variant, with the DESIGN.md keys.</summary>
public static class ReplicationJson
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
            ["verdict"] = s.Verdict,
            ["observed"] = s.Observed,
            ["config"] = ConfigReader.ToJson(s.Variant.Config),
            ["runs"] = s.Runs.Count,
            ["successes"] = s.Successes,
            ["medianMse"] = ResultJson.Number(s.MedianMse),
            ["medianMaxAbsError"] = ResultJson.Number(s.MedianMaxAbsError),
            ["medianWallSeconds"] = ResultJson.Number(s.MedianWallSeconds),
            ["dominantFinding"] = s.DominantFinding,
            ["findings"] = new JsonObject(s.FindingCounts.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["perSeed"] = new JsonArray(s.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["seed"] = r.Seed,
                ["mse"] = ResultJson.Number(r.Mse),
                ["maxAbsError"] = ResultJson.Number(r.MaxAbsError),
                ["wallSeconds"] = ResultJson.Number(r.WallSeconds),
                ["causeChain"] = new JsonArray(r.CauseChain.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            }).ToArray()),
        }).ToArray()),
    };
}
