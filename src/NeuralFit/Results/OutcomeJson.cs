using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Fitting;
using NeuralFit.Training;

namespace NeuralFit.Results;

/// <summary>
/// A diagnosed run's summary (<see cref="RunOutcome"/>) as JSON and back: how the doctor's journal keeps a finished
/// replay. The configuration is not kept: the doctor knows which run it asks for.
/// </summary>
internal static class OutcomeJson
{
    public static JsonObject Write(RunOutcome o) => new()
    {
        ["evaluation"] = ResultJson.Evaluation(o.Evaluation),
        ["stopReason"] = o.StopReason.ToString(),
        ["wallSeconds"] = ResultJson.Number(o.WallSeconds),
        ["missedGoal"] = o.MissedGoal,
        ["verdict"] = ResultJson.Verdict(o.Verdict),
        ["atNoiseFloor"] = o.AtNoiseFloor,
        ["usesBaseline"] = o.UsesBaseline,
        ["grown"] = o.Grown,
        ["noiseCeiling"] = o.NoiseCeiling is double noise ? ResultJson.Number(noise) : null,
        ["findings"] = new JsonArray(o.Findings.Select(f => (JsonNode)DiagnosisJson.Finding(f)).ToArray()),
        ["explanation"] = new JsonArray(o.CauseChain.Select(s => (JsonNode)new JsonObject { ["code"] = s.Code, ["text"] = s.Text }).ToArray()),
    };

    public static RunOutcome Read(JsonObject o, RunConfig config) =>
        new(config, Evaluation(o["evaluation"]!.AsObject()), Enum.Parse<StopReason>(o["stopReason"]!.GetValue<string>()),
            Number(o["wallSeconds"]), o["missedGoal"]!.GetValue<bool>(),
            o["findings"]!.AsArray().Select(f => Finding(f!.AsObject())).ToList(),
            o["explanation"]!.AsArray().Select(s => new CauseStep(s!["code"]!.GetValue<string>(), s["text"]!.GetValue<string>())).ToList())
        {
            Verdict = Verdict(o["verdict"]!.AsObject()),
            AtNoiseFloor = o["atNoiseFloor"]?.GetValue<bool>() ?? false,
            UsesBaseline = o["usesBaseline"]?.GetValue<bool>() ?? false,
            Grown = o["grown"]?.GetValue<bool>() ?? false,
            NoiseCeiling = o["noiseCeiling"]?.GetValue<double>(),
        };

    public static Evaluation.Evaluation Evaluation(JsonObject e) => new()
    {
        Domain = e["domain"]!.GetValue<string>(),
        Points = e["points"]!.GetValue<int>(),
        Mse = Number(e["mse"]),
        Rmse = Number(e["rmse"]),
        MaxAbsError = Number(e["maxAbsError"]),
        R2 = Number(e["r2"]),
        OutputMean = Number(e["outputMean"]),
        OutputStd = Number(e["outputStd"]),
        TargetMean = Number(e["targetMean"]),
        TargetStd = Number(e["targetStd"]),
        NonFiniteTargets = e["nonFiniteTargets"]?.GetValue<int>() ?? 0,
        NonFiniteOutputs = e["nonFiniteOutputs"]?.GetValue<int>() ?? 0,
        WorstInput = e["worstInput"]?.AsArray().Select(Number).ToArray() ?? [],
    };

    static Verdict Verdict(JsonObject v) =>
        new(v["fitted"]!.GetValue<bool>(), v["goal"]!.GetValue<string>(), v["achieved"]!.GetValue<string>(), v["next"]?.GetValue<string>());

    static Finding Finding(JsonObject f) =>
        new(f["code"]!.GetValue<string>(), Enum.Parse<Severity>(f["severity"]!.GetValue<string>(), ignoreCase: true), f["message"]!.GetValue<string>())
        {
            Layer = f["layer"]?.GetValue<int>(),
            Evidence = f["evidence"]?.DeepClone().AsObject() ?? [],
            Fixes = f["fixes"]?.AsArray().Select(x => new Fix(x!["summary"]!.GetValue<string>(), x["patch"]!.DeepClone().AsObject())).ToList() ?? [],
        };

    /// <summary>JSON's null stands for a number that was not finite.</summary>
    static double Number(JsonNode? n) => n is null ? double.NaN : n.GetValue<double>();
}
