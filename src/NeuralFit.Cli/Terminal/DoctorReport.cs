using System.Globalization;
using System.Text;
using NeuralFit.Diagnostics;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// The acceptance test first, then each round's diagnosis in brief and its before/after table (fixes that keep the
/// network, then, when none passed, those that change it), then the verdict, what became of the network, and the
/// combined change.
/// </summary>
static class DoctorReport
{
    public static string Render(DoctorResult d)
    {
        var s = new StringBuilder();
        if (d.Rounds.Count == 0)
        {
            s.Append(DiagnosisReport.Render(d.Original.Findings, d.Original.CauseChain));
            s.AppendLine(!d.Fits ? "\nNo fix to try."
                : d.Verdict.Fitted ? "\nThe run already fits; nothing to fix."
                : "\nNothing to fix: the held-out error is already within what the data's noise allows.");
            s.AppendLine(VerdictLine(d));
            return s.ToString();
        }
        s.AppendLine();
        s.AppendLine($"acceptance test: {AcceptanceTest.Describe(d.Original)}.");
        foreach (var round in d.Rounds)
        {
            var before = round.Before;
            s.AppendLine();
            s.AppendLine($"round {round.Number}: {(before.CauseChain.Count > 0 ? string.Join(" → ", before.CauseChain.Select(c => c.Code)) : "no error found")}");
            var rows = new List<string[]> { Row("", "as it was", before.Evaluation, before.WallSeconds, "") };
            var same = round.Replays.Where(r => !r.Candidate.OtherNetwork).ToList();
            var other = round.Replays.Where(r => r.Candidate.OtherNetwork).ToList();
            int number = 0;
            rows.AddRange(same.Select(r => Row($"{++number}", r.Fix.Summary, r.Evaluation, r.Outcome.WallSeconds, Verdict(r, before))));
            s.Append(Table.Render(["#", "fix", "MSE", "max error", "time", "verdict"], rows));
            if (round.TriedOtherNetworks)
            {
                s.AppendLine(same.Count == 0
                    ? $"  No fix keeps the {Doctor.NetworkName(round.Start)} network, so these change it:"
                    : $"  No fix within the {Doctor.NetworkName(round.Start)} network passed the test, so these change it:");
                if (other.Count > 0)
                    s.Append(Table.Render(["#", "fix", "MSE", "max error", "time", "verdict"],
                        other.Select(r => Row($"{++number}", r.Fix.Summary, r.Evaluation, r.Outcome.WallSeconds, Verdict(r, before))).ToList()));
            }
            number = 0;
            foreach (var r in same.Concat(other)) s.AppendLine($"  {++number}: {r.Fix.PatchText}");
            if (round.Unfinished) s.AppendLine("  (stopped by a signal: the replays not listed did not finish)");
        }
        var final = d.Final.Evaluation;
        s.AppendLine();
        if (d.Interrupted) s.AppendLine($"stopped before the end: best so far {Describe(final)}.");
        else if (d.Fits && !(final.R2 >= 0.9999) && d.Final.AtNoiseFloor) s.AppendLine($"fits as well as the data's noise allows: {Describe(final)}.");
        else s.AppendLine(d.Fits ? $"fits: {Describe(final)}." : $"not fitted yet: best {Describe(final)}.");
        s.AppendLine(NetworkLine(d));
        if (d.CombinedPatch.Count > 0) s.AppendLine($"change: {d.CombinedPatch.ToJsonString()}");
        s.AppendLine(VerdictLine(d));
        return s.ToString();
    }

    /// <summary>The final run's verdict; at a data file's noise floor without its next command, which no fix can follow.</summary>
    static string VerdictLine(DoctorResult d) => d.Fits && !d.Verdict.Fitted
        ? $"not fitted: reached {d.Verdict.Achieved}; wanted {d.Verdict.Goal}"
        : d.Verdict.Line;

    /// <summary>Whether the user's network was kept, said plainly.</summary>
    static string NetworkLine(DoctorResult d)
    {
        string mine = Doctor.NetworkName(d.Original.Config), now = Doctor.NetworkName(d.Final.Config);
        if (d.KeptNetwork) return $"network: your {mine} network, kept.";
        var swap = d.Rounds.FirstOrDefault(r => r.Chosen?.Candidate.OtherNetwork == true);
        return $"network: changed from {mine} to {now}{(swap is null ? "" : $" in round {swap.Number}, because no fix within the {Doctor.NetworkName(swap.Start)} network passed the test")}.";
    }

    static string Verdict(Replay r, RunOutcome before)
    {
        double change = (r.Evaluation.Mse - before.Evaluation.Mse) / before.Evaluation.Mse;
        string percent = double.IsFinite(change) ? (change < 0 ? "−" : "+") + Math.Abs(100 * change).ToString("0", CultureInfo.InvariantCulture) + " %" : "";
        return r.Verdict switch
        {
            ReplayVerdict.Kept => "kept",
            ReplayVerdict.Passes => "passes",
            ReplayVerdict.MaxErrorGrew => "MSE halved, max error grew",
            ReplayVerdict.Better => $"better ({percent}), not enough",
            ReplayVerdict.Worse => $"worse ({percent})",
            ReplayVerdict.Diverged => "diverged",
            _ => "no better",
        };
    }

    static string Describe(Evaluation.Evaluation e) =>
        $"MSE {G(e.Mse)}, max error {G(e.MaxAbsError)}, R² {e.R2.ToString(e.R2 >= 0.999 ? "F6" : "G6", CultureInfo.InvariantCulture)}";

    static string[] Row(string number, string fix, Evaluation.Evaluation e, double seconds, string verdict) =>
        [number, fix, G(e.Mse), G(e.MaxAbsError), seconds.ToString("F2", CultureInfo.InvariantCulture) + " s", verdict];

    static string G(double v) => !double.IsFinite(v) ? "—"
        : v.ToString(Math.Abs(v) < 1e-3 || Math.Abs(v) >= 1e5 ? "0.00e+00" : Math.Abs(v) >= 100 ? "0" : "G3", CultureInfo.InvariantCulture);
}
