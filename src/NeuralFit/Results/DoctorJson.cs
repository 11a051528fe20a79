using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Results;

/// <summary>The doctor's rounds as JSON: each round's findings, the replays with their metrics and verdicts, the kept fix.</summary>
internal static class DoctorJson
{
    public static JsonObject Build(DoctorResult d) => new()
    {
        ["fits"] = d.Fits,
        ["keptNetwork"] = d.KeptNetwork,
        ["acceptanceTest"] = AcceptanceTest.Describe(d.Original),
        ["interrupted"] = d.Interrupted,
        ["verdict"] = ResultJson.Verdict(d.Verdict),
        ["change"] = d.CombinedPatch.DeepClone(),
        ["final"] = d.Final.Full is { } full ? DiagnosisJson.Build(full) : OutcomeJson.Write(d.Final),
        ["rounds"] = new JsonArray(d.Rounds.Select(r => (JsonNode)new JsonObject
        {
            ["round"] = r.Number,
            ["config"] = ConfigReader.ToJson(r.Start),
            ["evaluation"] = ResultJson.Evaluation(r.Before.Evaluation),
            ["findings"] = new JsonArray(r.Before.Findings.Select(f => (JsonNode)DiagnosisJson.Finding(f)).ToArray()),
            ["causeChain"] = new JsonArray(r.Before.CauseChain.Select(c => (JsonNode)JsonValue.Create(c.Code)).ToArray()),
            ["triedOtherNetworks"] = r.TriedOtherNetworks,
            ["unfinished"] = r.Unfinished,
            ["replays"] = new JsonArray(r.Replays.Select(p => (JsonNode)new JsonObject
            {
                ["fix"] = p.Fix.Summary,
                ["fromFinding"] = p.Candidate.FromCode,
                ["patch"] = p.Fix.Patch.DeepClone(),
                ["otherNetwork"] = p.Candidate.OtherNetwork,
                ["verdict"] = p.Verdict.Name(),
                ["works"] = p.Works,
                ["kept"] = p.Verdict == ReplayVerdict.Kept,
                ["wallSeconds"] = ResultJson.Number(p.Outcome.WallSeconds),
                ["evaluation"] = ResultJson.Evaluation(p.Evaluation),
            }).ToArray()),
        }).ToArray()),
    };
}
