using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using NeuralFit.Results;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// The sweep's table: one row per run, the grid's values then the fit; the best run marked. Made from the sweep's
/// JSON, so a sweep merged from its shards prints what the whole sweep would have.
/// </summary>
static class SweepReport
{
    public static string Render(JsonObject sweep)
    {
        var keys = sweep["grid"]!.AsObject().Select(a => a.Key).ToList();
        int? best = sweep["best"]?.GetValue<int>();
        JsonNode? bestRun = null;
        var rows = new List<string[]>();
        foreach (var run in sweep["runs"]!.AsArray())
        {
            var e = run!["evaluation"]!;
            bool isBest = run["index"]!.GetValue<int>() == best;
            if (isBest) bestRun = run;
            rows.Add([.. keys.Select(k => SweepJson.Text(run["values"]![k])),
                G(e["mse"]), G(e["maxAbsError"]), e["r2"] is { } r2 ? r2.GetValue<double>().ToString("F5", CultureInfo.InvariantCulture) : "—",
                run["wallSeconds"] is { } time ? time.GetValue<double>().ToString("F2", CultureInfo.InvariantCulture) + " s" : "—", isBest ? "← best" : ""]);
        }
        var s = new StringBuilder();
        s.AppendLine();
        s.Append(Table.Render([.. keys, "grid MSE", "max err", "R²", "time", ""], rows));
        if (bestRun is not null)
            s.AppendLine($"best: {string.Join(", ", keys.Select(k => $"{k} = {SweepJson.Text(bestRun["values"]![k])}"))} (grid MSE {G(bestRun["evaluation"]!["mse"])})");
        return s.ToString();
    }

    static string G(JsonNode? node)
    {
        if (node is null) return "—";
        double v = node.GetValue<double>();
        return v.ToString(v < 1e-3 || v >= 1e4 ? "0.00e+00" : "G3", CultureInfo.InvariantCulture);
    }
}
