using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Results;

/// <summary>The doctor's rounds as JSON: each round's findings, the replays with their metrics, the kept fix.</summary>
public static class DoctorJson
{
    public static JsonObject Build(DoctorResult d) => new()
    {
        ["fits"] = d.Fits,
        ["verdict"] = ResultJson.Verdict(d.Verdict),
        ["change"] = d.CombinedPatch.DeepClone(),
        ["final"] = DiagnosisJson.Build(d.Final),
        ["rounds"] = new JsonArray(d.Rounds.Select(r => (JsonNode)new JsonObject
        {
            ["round"] = r.Number,
            ["config"] = ConfigReader.ToJson(r.Start),
            ["evaluation"] = ResultJson.Evaluation(r.Diagnosis.Fit.Evaluation),
            ["findings"] = new JsonArray(r.Diagnosis.Findings.Select(f => (JsonNode)DiagnosisJson.Finding(f)).ToArray()),
            ["causeChain"] = new JsonArray(r.Diagnosis.CauseChain.Select(c => (JsonNode)JsonValue.Create(c.Code)).ToArray()),
            ["replays"] = new JsonArray(r.Replays.Select(p => (JsonNode)new JsonObject
            {
                ["fix"] = p.Fix.Summary,
                ["fromFinding"] = p.FromCode,
                ["patch"] = p.Fix.Patch.DeepClone(),
                ["works"] = p.Works,
                ["kept"] = p == r.Chosen,
                ["wallSeconds"] = ResultJson.Number(p.Result.Fit.WallSeconds),
                ["evaluation"] = ResultJson.Evaluation(p.Evaluation),
            }).ToArray()),
        }).ToArray()),
    };
}
