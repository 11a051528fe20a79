using System.Text.Json;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Fitting;

namespace NeuralFit.Results;

/// <summary>The result JSON of DESIGN.md: stable keys, never renamed; non-finite numbers written as null.</summary>
internal static class ResultJson
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Build(FitResult r)
    {
        var e = r.Evaluation;
        return new JsonObject
        {
            ["config"] = ConfigReader.ToJson(r.Config),
            ["steps"] = r.Steps,
            ["wallSeconds"] = Number(r.WallSeconds),
            ["stepsPerSecond"] = Number(r.StepsPerSecond),
            ["stopReason"] = Kebab(r.StopReason.ToString()),
            ["stopDetail"] = r.StopDetail,
            ["evaluation"] = WithSplits(Evaluation(e), r),
            ["verdict"] = Verdict(r.Verdict),
            ["baseline"] = r.Baseline is { } b ? Baseline(b, r.UsesBaseline) : null,
            ["stages"] = new JsonArray(r.Stages.Select(s => (JsonNode)Stage(s)).ToArray()),
            ["history"] = new JsonArray(r.History.Select(h =>
            {
                var point = new JsonObject { ["step"] = h.Step, ["loss"] = Number(h.Loss), ["learningRate"] = Number(h.LearningRate) };
                if (h.ValidationLoss is double v) point["validationLoss"] = Number(v);
                if (h.EvaluationMse is double m) point["evaluationMse"] = Number(m);
                return (JsonNode)point;
            }).ToArray()),
            ["reference"] = r.Reference is { } reference ? Reference(reference) : null,
            ["notes"] = new JsonArray(r.Notes.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        };
    }

    /// <summary>A data fit's evaluation also holds the model's metrics on each split (<c>evaluation.splits</c>).</summary>
    static JsonObject WithSplits(JsonObject evaluation, FitResult r)
    {
        if (r.Splits is { } splits)
            evaluation["splits"] = new JsonObject(splits.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Evaluation(p.Value))));
        return evaluation;
    }

    /// <summary>An evaluation's metrics; with several outputs (overall metrics as <see cref="Evaluation.Metrics.Compare"/>
    /// says), <c>outputs</c> adds each output's, with its <c>name</c>.</summary>
    public static JsonObject Evaluation(Evaluation.Evaluation e)
    {
        var o = EvaluationOnly(e);
        if (e.PerOutput.Count > 0)
            o["outputs"] = new JsonArray(e.PerOutput.Select(p =>
            {
                var one = new JsonObject { ["name"] = p.OutputName };
                foreach (var (key, value) in EvaluationOnly(p)) one[key] = value?.DeepClone();
                return (JsonNode)one;
            }).ToArray());
        return o;
    }

    static JsonObject EvaluationOnly(Evaluation.Evaluation e) => new()
    {
        ["domain"] = e.Domain,
        ["points"] = e.Points,
        ["mse"] = Number(e.Mse),
        ["rmse"] = Number(e.Rmse),
        ["maxAbsError"] = Number(e.MaxAbsError),
        ["r2"] = Number(e.R2),
        ["outputMean"] = Number(e.OutputMean),
        ["outputStd"] = Number(e.OutputStd),
        ["targetMean"] = Number(e.TargetMean),
        ["targetStd"] = Number(e.TargetStd),
        ["nonFiniteTargets"] = e.NonFiniteTargets,
        ["nonFiniteOutputs"] = e.NonFiniteOutputs,
        ["worstInput"] = new JsonArray(e.WorstInput.Select(v => Number(v)).ToArray()),
        ["sampling"] = e.Sampling,
        ["searchedPoints"] = e.SearchedPoints,
    };

    public static JsonObject Baseline(Baseline b, bool isTheModel)
    {
        var o = new JsonObject
        {
            ["kind"] = b.Kind,
            ["r2"] = Number(b.R2),
            ["rmse"] = Number(b.Rmse),
            ["alpha"] = Number(b.Alpha),
            ["mse"] = Number(b.Evaluation.Mse),
            ["heldOutR2"] = Number(b.HeldOutR2),
            ["isTheModel"] = isTheModel,
        };
        if (b.Evaluation.PerOutput.Count > 0)
            o["outputs"] = new JsonArray(b.Evaluation.PerOutput.Select((p, i) => (JsonNode)new JsonObject
            {
                ["name"] = p.OutputName, ["r2"] = Number(p.R2), ["rmse"] = Number(p.Rmse), ["mse"] = Number(p.Mse),
                ["alpha"] = i < b.Alphas.Count ? Number(b.Alphas[i]) : null,
            }).ToArray());
        return o;
    }

    public static JsonObject Stage(Stage s) => new()
    {
        ["layers"] = new JsonArray(s.Layers.Select(w => (JsonNode)w).ToArray()),
        ["samples"] = s.Samples,
        ["seconds"] = Number(s.Seconds),
        ["metric"] = Number(s.Metric),
        ["maxAbsError"] = Number(s.MaxAbsError),
        ["measuredOn"] = s.MeasuredOn,
        ["method"] = s.Method,
    };

    public static JsonObject Verdict(Verdict v) => new()
    {
        ["fitted"] = v.Fitted,
        ["goal"] = v.Goal,
        ["achieved"] = v.Achieved,
        ["next"] = v.Next,
    };

    /// <summary>The classical reference line: method and size, then the evaluation's keys.</summary>
    public static JsonObject Reference(ReferenceFit f)
    {
        var o = new JsonObject { ["method"] = f.Method, ["coefficients"] = f.Coefficients };
        foreach (var (key, value) in Evaluation(f.Evaluation)) o[key] = value?.DeepClone();
        return o;
    }

    /// <summary>JSON has no NaN or ∞: such values are written as null.</summary>
    public static JsonNode? Number(double v) => double.IsFinite(v) ? JsonValue.Create(v) : null;

    public static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    public static string ToText(JsonNode node) => node.ToJsonString(Indented) + "\n";
}
