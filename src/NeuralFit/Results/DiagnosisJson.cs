using System.Text.Json.Nodes;
using NeuralFit.Diagnostics;

namespace NeuralFit.Results;

/// <summary>Findings and the cause chain in the result JSON.</summary>
internal static class DiagnosisJson
{
    public static JsonObject Build(DiagnosisResult d)
    {
        var o = ResultJson.Build(d.Fit);
        o["verdict"] = ResultJson.Verdict(d.Verdict);
        o["findings"] = new JsonArray(d.Findings.Select(f => (JsonNode)Finding(f)).ToArray());
        o["causeChain"] = new JsonArray(d.CauseChain.Select(s => (JsonNode)JsonValue.Create(s.Code)).ToArray());
        o["explanation"] = new JsonArray(d.CauseChain.Select(s => (JsonNode)new JsonObject { ["code"] = s.Code, ["text"] = s.Text }).ToArray());
        return o;
    }

    public static JsonObject Finding(Finding f)
    {
        var o = new JsonObject
        {
            ["code"] = f.Code,
            ["severity"] = f.Severity.ToString().ToLowerInvariant(),
            ["message"] = f.Message,
            ["evidence"] = f.Evidence.DeepClone(),
            ["fixes"] = new JsonArray(f.Fixes.Select(x => (JsonNode)new JsonObject { ["summary"] = x.Summary, ["patch"] = x.Patch.DeepClone() }).ToArray()),
        };
        if (f.Layer is int layer) o["layer"] = layer;
        return o;
    }
}
