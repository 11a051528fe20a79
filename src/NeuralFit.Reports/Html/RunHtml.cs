using System.Text;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Networks;
using NeuralFit.Reports.Plots;
using NeuralFit.Fitting;
using static NeuralFit.Reports.Html.Page;

namespace NeuralFit.Reports.Html;

/// <summary>index.html of one run: verdict, metrics, findings and cause chain, plots, then the configuration.</summary>
static class RunHtml
{
    public static string Render(FitResult fit, DiagnosisResult? diagnosis, IReadOnlyList<Figure> figures)
    {
        var c = fit.Config;
        var e = fit.Evaluation;
        string what = c.Target ?? c.Data ?? "the data";
        var s = new StringBuilder();
        s.AppendLine(fit.UsesBaseline
            ? $"<p>The linear baseline is the model: a network {Escape($"{c.Domain.Count}-1")} with no hidden layer, ridge regression solved in closed form (no training steps), seed {c.Seed}; " +
              $"fitted to <code>{Escape(what)}</code> on {Escape(string.Join(", ", c.Domain))}.</p>"
            : $"<p>Network {Escape(string.Join("-", [c.Domain.Count, .. c.Layers, 1]))} {Escape(c.Activation.Name())}, " +
              $"{Escape(c.Optimizer.Name())} at learning rate {Number(c.LearningRate)}, batch {c.BatchSize}, {c.Steps:N0} steps, seed {c.Seed}; " +
              $"fitted to <code>{Escape(what)}</code> on {Escape(string.Join(", ", c.Domain))}.</p>");
        s.AppendLine(Verdict(fit, diagnosis));

        s.AppendLine("<h2>Metrics</h2>");
        s.Append(Table(["measure", "value"], [
            ["grid MSE", Num(e.Mse)], ["grid RMSE", Num(e.Rmse)],
            ["max |error|", Num(e.MaxAbsError) + (e.WorstInput.Length > 0 ? $" at x = {Escape(string.Join(", ", e.WorstInput.Select(Number)))}" : "")],
            ["R²", Num(e.R2)], ["output mean / std", $"{Num(e.OutputMean)} / {Num(e.OutputStd)}"], ["target mean / std", $"{Num(e.TargetMean)} / {Num(e.TargetStd)}"],
            ["evaluation grid", $"{e.Points:N0} points on {Escape(e.Domain)}"],
            fit.UsesBaseline ? ["steps trained", "none: solved in closed form"]
                : ["steps trained", $"{fit.Steps:N0} ({Escape(Results.ResultJson.Kebab(fit.StopReason.ToString()))}{(fit.StopDetail is null ? "" : ": " + Escape(fit.StopDetail))})"],
            fit.UsesBaseline ? ["wall time", $"{fit.WallSeconds:F2} s"] : ["wall time", $"{fit.WallSeconds:F2} s ({fit.StepsPerSecond:N0} steps/s)"],
        ]));
        if (fit.Baseline is { } b)
            s.AppendLine($"<p>Linear baseline (ridge regression, α {Escape(Number(b.Alpha))}){(fit.UsesBaseline ? ", which is the model" : "")}: " +
                $"R² {Num(b.R2)}, RMSE {Num(b.Rmse)} on the same rows{(double.IsFinite(b.HeldOutR2) ? $"; held-out R² {Num(b.HeldOutR2)}" : "")}.</p>");
        if (fit.Stages.Count > 0)
        {
            s.AppendLine($"<h2>Stages</h2>\n<p>Scored on {Escape(fit.Stages[0].MeasuredOn)}.</p>");
            s.Append(Table(["network", "method", "points", "seconds", "R²"], fit.Stages.Select(t => (IReadOnlyList<string>)[
                Escape(string.Join("-", [c.Domain.Count, .. t.Layers, 1])), Escape(t.Method), $"{t.Samples:N0}", $"{t.Seconds:F2}", Num(t.Metric)])));
        }
        foreach (var note in fit.Notes) s.AppendLine($"<p class=\"info\">Note: {Escape(note)}</p>");

        if (diagnosis is not null) s.Append(Diagnosis(diagnosis));

        s.AppendLine("<h2>Plots</h2>");
        s.AppendLine("<div class=\"plots\">");
        foreach (var f in figures) s.Append(Figure(f));
        s.AppendLine("</div>");

        s.AppendLine("<h2>Configuration</h2>");
        s.AppendLine("<p>The effective configuration; settings in bold were given, the rest are NeuralFit's choices for this problem.</p>");
        var config = ConfigReader.ToJson(c);
        s.Append(Table(["setting", "value"], config.Select(p => (IReadOnlyList<string>)[
            c.IsGiven(p.Key) ? $"<span class=\"given\">{Escape(p.Key)}</span>" : Escape(p.Key),
            $"<code>{Escape(p.Value?.ToJsonString(Readable))}</code>"])));
        return Page.Render($"NeuralFit report: {what}", s.ToString());
    }

    /// <summary>JSON as people write it: "sin(3*x)+x^2", not "sin(3*x)\u002Bx^2".</summary>
    static readonly System.Text.Json.JsonSerializerOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static string Num(double v) => $"<span class=\"mono\">{Escape(Number(v))}</span>";

    static string Verdict(FitResult fit, DiagnosisResult? d)
    {
        var v = d?.Verdict ?? fit.Verdict;
        bool errors = d?.Findings.Any(f => f.Severity == Severity.Error) ?? false;
        string css = !v.Fitted ? "bad" : errors ? "meh" : "good";
        string text = v.Fitted
            ? $"The network fits: {v.Achieved} (goal: {v.Goal})."
            : $"The fit missed its goal: {v.Achieved}; the goal was {v.Goal}.";
        if (d is not null && d.CauseChain.Count > 0) text += $" Why: {string.Join(" → ", d.CauseChain.Select(c => c.Code))}.";
        var html = $"<p class=\"verdict {css}\">{Escape(text)}</p>";
        if (v.Next is string next) html += $"\n<p>Next: <code>{Escape(next)}</code></p>";
        return html;
    }

    static string Diagnosis(DiagnosisResult d)
    {
        var s = new StringBuilder();
        s.AppendLine("<h2>Findings</h2>");
        if (d.Findings.Count == 0) s.AppendLine("<p>None: the run looks healthy.</p>");
        else
            s.Append(Table(["severity", "finding", "layer", "what the run showed", "fixes"], d.Findings.Select(f => (IReadOnlyList<string>)[
                $"<span class=\"{f.Severity.ToString().ToLowerInvariant()}\">{f.Severity.ToString().ToLowerInvariant()}</span>",
                $"<code>{Escape(f.Code)}</code>",
                f.Layer?.ToString() ?? "",
                Escape(f.Message),
                string.Join("<br>", f.Fixes.Take(3).Select(x => $"{Escape(x.Summary)} <code>{Escape(x.PatchText)}</code>")),
            ])));
        if (d.CauseChain.Count > 0)
        {
            s.AppendLine("<h2>Cause chain</h2>");
            s.AppendLine($"<p><code>{Escape(string.Join(" → ", d.CauseChain.Select(c => c.Code)))}</code></p>");
            s.AppendLine("<ol class=\"chain\">");
            foreach (var step in d.CauseChain) s.AppendLine($"<li><code>{Escape(step.Code)}</code>: {Escape(step.Text)}</li>");
            s.AppendLine("</ol>");
        }
        return s.ToString();
    }
}
