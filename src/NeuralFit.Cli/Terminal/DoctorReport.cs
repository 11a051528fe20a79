using System.Globalization;
using System.Text;
using NeuralFit.Diagnostics;

namespace NeuralFit.Cli.Terminal;

/// <summary>Each round's diagnosis in brief and its before/after table; then the verdict and the combined fix.</summary>
static class DoctorReport
{
    public static string Render(DoctorResult d)
    {
        var s = new StringBuilder();
        if (d.Rounds.Count == 0)
        {
            s.Append(DiagnosisReport.Render(d.Final));
            s.AppendLine(d.Fits ? "\nThe run already fits; nothing to fix." : "\nNo fix to try.");
            s.AppendLine(d.Verdict.Line);
            return s.ToString();
        }
        foreach (var round in d.Rounds)
        {
            var before = round.Diagnosis;
            s.AppendLine();
            s.AppendLine($"round {round.Number}: {(before.CauseChain.Count > 0 ? string.Join(" → ", before.CauseChain.Select(c => c.Code)) : "no error found")}");
            var rows = new List<string[]> { Row("", "as it was", before.Fit.Evaluation, before.Fit.WallSeconds, "") };
            rows.AddRange(round.Replays.Select((r, i) => Row($"{i + 1}", r.Fix.Summary, r.Evaluation, r.Result.Fit.WallSeconds,
                r == round.Chosen ? "works, kept" : r.Works ? "works" : r.Result.Fit.StopReason == Training.StopReason.Diverged ? "diverged" : "no better")));
            s.Append(Table.Render(["#", "fix", "grid MSE", "max error", "time", "verdict"], rows));
            for (int i = 0; i < round.Replays.Count; i++)
                s.AppendLine($"  {i + 1}: {round.Replays[i].Fix.PatchText}");
        }
        var final = d.Final.Fit.Evaluation;
        s.AppendLine();
        s.AppendLine(d.Fits
            ? $"fits: grid MSE {G(final.Mse)}, max error {G(final.MaxAbsError)}, R² {final.R2.ToString("F6", CultureInfo.InvariantCulture)}."
            : $"not fitted yet: best grid MSE {G(final.Mse)}, max error {G(final.MaxAbsError)}, R² {final.R2.ToString("G6", CultureInfo.InvariantCulture)}.");
        if (d.CombinedPatch.Count > 0) s.AppendLine($"change: {d.CombinedPatch.ToJsonString()}");
        s.AppendLine(d.Verdict.Line);
        return s.ToString();
    }

    static string[] Row(string number, string fix, Evaluation.Evaluation e, double seconds, string verdict) =>
        [number, fix, G(e.Mse), G(e.MaxAbsError), seconds.ToString("F2", CultureInfo.InvariantCulture) + " s", verdict];

    static string G(double v) => double.IsFinite(v) ? v.ToString(v < 1e-3 || v >= 1e4 ? "0.00e+00" : "G3", CultureInfo.InvariantCulture) : "—";
}
