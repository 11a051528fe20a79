using System.Globalization;
using System.Text;
using NeuralFit.Question;

namespace NeuralFit.Cli.Terminal;

/// <summary>The replication table (each claim's own test beside the common bar), then each claim beside what the runs showed.</summary>
static class ReplicationReport
{
    public static string Render(IReadOnlyList<VariantSummary> summaries)
    {
        var rows = summaries.Select(s => new[]
        {
            s.Variant.Name,
            s.Variant.Test,
            $"{s.HeldByOwnTest}/{s.Runs.Count}",
            $"{s.Successes}/{s.Runs.Count}",
            G(s.MedianMse),
            G(s.MedianMaxAbsError),
            double.IsFinite(s.MedianWallSeconds) ? s.MedianWallSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s" : "—",
            s.DominantFinding ?? "—",
        }).ToList();
        var s = new StringBuilder();
        s.AppendLine();
        s.Append(Table.Render(["variant", "the claim's test", "holds", "MSE ≤ 1e-4", "median MSE", "median max err", "median time", "dominant finding"], rows));
        s.AppendLine();
        s.AppendLine("claims:");
        foreach (var v in summaries.Where(v => v.Runs.Count > 0))
            s.AppendLine($"  {v.Variant.Name} ({v.Variant.Source}): \"{v.Variant.Claim}\" — {v.Verdict}: {v.Observed}.");
        return s.ToString();
    }

    static string G(double v) => double.IsFinite(v) ? v.ToString(v < 1e-3 || v >= 1e4 ? "0.00e+00" : "G3", CultureInfo.InvariantCulture) : "—";
}
