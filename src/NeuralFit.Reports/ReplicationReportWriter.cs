using System.Text;
using NeuralFit.Persistence;
using NeuralFit.Question;
using NeuralFit.Reports.Html;
using NeuralFit.Reports.Plots;
using NeuralFit.Targets;
using ScottPlot;
using static NeuralFit.Reports.Html.Page;

namespace NeuralFit.Reports;

/// <summary>index.html of `neuralfit seed --report`: the whole replication table, then each variant with its plots.</summary>
internal static class ReplicationReportWriter
{
    public static string Write(string dir, IReadOnlyList<VariantSummary> summaries)
    {
        string folder = ReportFolder.Prepare(dir);
        var s = new StringBuilder();
        s.AppendLine($"<p>The ln(x) question and every answer's proposal, each run on seeds 1..{summaries.Max(v => v.Runs.Count)}; " +
            $"a run fits when its grid MSE on [0.01, 1] is at most {Number(QuestionVariants.SuccessMse)}. Each claim is checked by the test its own words carry " +
            "(a claim that a change \"makes it work\" for a network that answered a constant, that it then follows ln(x); a claimed accuracy; a claimed time), " +
            "and at that common bar; where the two differ, it holds in part.</p>");
        s.Append(Table(["variant", "from", "claim", "the claim's test", "verdict", "by its test", "MSE ≤ 1e-4", "median MSE", "median R²", "median max |error|", "median time", "dominant finding"],
            summaries.Select((v, i) => (IReadOnlyList<string>)[
                $"<a href=\"#variant-{i + 1}\">{Escape(v.Variant.Name)}</a>", Escape(v.Variant.Source), Escape(v.Variant.Claim), Escape(v.Variant.Test),
                $"<span class=\"{(v.Verdict == "holds" ? "good" : v.Verdict == "does not hold" ? "bad" : "meh")}\">{Escape(v.Verdict)}</span>",
                $"{v.HeldByOwnTest}/{v.Runs.Count}", $"{v.Successes}/{v.Runs.Count}", Number(v.MedianMse), Number(v.MedianR2), Number(v.MedianMaxAbsError), $"{v.MedianWallSeconds:F2} s",
                v.DominantFinding is null ? "—" : $"<code>{Escape(v.DominantFinding)}</code>",
            ])));

        for (int i = 0; i < summaries.Count; i++)
        {
            var v = summaries[i];
            var runs = v.Runs.OrderBy(r => r.Seed).ToList();
            s.AppendLine($"<h2 id=\"variant-{i + 1}\">{i + 1}. {Escape(v.Variant.Name)}</h2>");
            s.AppendLine($"<p>{Escape(v.Variant.Source)}: “{Escape(v.Variant.Claim)}” — <b>{Escape(v.Verdict)}</b>: {Escape(v.Observed)}.</p>");
            s.AppendLine($"<p class=\"mono\">{Escape(Configuration.ConfigReader.ToJson(v.Variant.Config).ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))}</p>");
            if (runs.Count == 0) continue;
            var fit = new Figure($"variant-{i + 1}-fit", $"{v.Variant.Name}: fit per seed", "The target (thick, grey) and each seed's network over the evaluation range.");
            var loss = new Figure($"variant-{i + 1}-loss", $"{v.Variant.Name}: loss per seed", "Training loss per step for each seed, log scale.");
            Charts.Save(FitPlot(v, runs), folder, fit, Charts.SmallWidth, Charts.SmallHeight);
            Charts.Save(LossPlot(v, runs), folder, loss, Charts.SmallWidth, Charts.SmallHeight);
            s.AppendLine("<div class=\"plots\">");
            s.Append(Figure(fit, "thumb")).Append(Figure(loss, "thumb"));
            s.AppendLine("</div>");
        }
        string index = Path.Combine(folder, "index.html");
        AtomicFile.WriteAllText(index, Render("NeuralFit replication: why can't a deep network fit ln(x)?", s.ToString()));
        return index;
    }

    /// <summary>Each plot is titled with its variant, so a plot seen alone (an image opened from the folder) still says what it shows.</summary>
    static Plot FitPlot(VariantSummary v, IReadOnlyList<ReplicaRun> runs)
    {
        var c = v.Variant.Config;
        var plot = Charts.New($"{v.Variant.Name}: fit per seed", "x", "y");
        var x = Replicator.CurveGrid(c);
        if (c.InputCount != 1 || c.Target is null) return plot;
        var target = new double[x.Length];
        new ExpressionTarget(c.Target, 1).Evaluate(x, target);
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < runs.Count; r++)
        {
            if (runs[r].Curve.Length != x.Length) continue;
            var line = plot.Add.ScatterLine(x, runs[r].Curve.Select(p => double.IsFinite(p) ? p : double.NaN).ToArray(), palette.GetColor(r));
            line.LegendText = $"seed {runs[r].Seed}";
        }
        var t = plot.Add.ScatterLine(x, target, Charts.Target.WithAlpha(0.45));
        t.LineWidth = 5;
        t.LegendText = c.Target;
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static Plot LossPlot(VariantSummary v, IReadOnlyList<ReplicaRun> runs)
    {
        var plot = Charts.New($"{v.Variant.Name}: loss per seed", "step", "training loss");
        var palette = new ScottPlot.Palettes.Category10();
        for (int r = 0; r < runs.Count; r++)
        {
            var h = runs[r].History.Where(p => double.IsFinite(p.Loss)).ToArray();
            var line = plot.Add.ScatterLine(h.Select(p => (double)p.Step).ToArray(), h.Select(p => Charts.Log10OrFloor(p.Loss)).ToArray(), palette.GetColor(r));
            line.LegendText = $"seed {runs[r].Seed}";
        }
        Charts.LogTicks(plot.Axes.Left);
        return plot;
    }
}
