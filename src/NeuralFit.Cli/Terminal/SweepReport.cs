using System.Globalization;
using System.Text;
using NeuralFit.Results;
using NeuralFit.Sweeps;

namespace NeuralFit.Cli.Terminal;

/// <summary>The sweep's table: one row per run, the grid's values then the fit; the best run marked.</summary>
static class SweepReport
{
    public static string Render(SweepSpec spec, IReadOnlyList<SweepRun> runs)
    {
        var best = Sweeper.Best(runs);
        var rows = runs.Select(r => r.Point.Values.Select(v => SweepJson.Text(v.Value))
            .Concat([G(r.Result.Evaluation.Mse), G(r.Result.Evaluation.MaxAbsError), r.Result.Evaluation.R2.ToString("F5", CultureInfo.InvariantCulture),
                r.Result.WallSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s", r == best ? "← best" : ""]).ToArray()).ToList();
        var s = new StringBuilder();
        s.AppendLine();
        s.Append(Table.Render([.. spec.Grid.Select(a => a.Key), "grid MSE", "max err", "R²", "time", ""], rows));
        if (best is not null)
            s.AppendLine($"best: {string.Join(", ", best.Point.Values.Select(v => $"{v.Key} = {SweepJson.Text(v.Value)}"))} (grid MSE {G(best.Result.Evaluation.Mse)})");
        return s.ToString();
    }

    static string G(double v) => double.IsFinite(v) ? v.ToString(v < 1e-3 || v >= 1e4 ? "0.00e+00" : "G3", CultureInfo.InvariantCulture) : "—";
}
