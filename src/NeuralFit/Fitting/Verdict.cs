using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;

namespace NeuralFit.Fitting;

/// <summary>
/// Whether a fit did what it was for, said plainly: the goal, what was reached, and, when it was missed, the command
/// to run next. The goal is the one the user requested (<c>goalMse</c>, <c>goalMaxError</c>); else, for an
/// expression, R² ≥ <see cref="DefaultR2"/> on the evaluation, and for a data file, beating the linear baseline on
/// held-out rows or reaching the data's noise there, having learnt more than chance.
/// </summary>
/// <param name="Next">The command to run next when the goal was missed (a `neuralfit diagnose …` line); null when it was met.</param>
public sealed record Verdict(bool Fitted, string Goal, string Achieved, string? Next)
{
    /// <summary>R² an expression's fit must reach by default: the rms error is 1 % of the target's spread, which a
    /// plot cannot tell from the target, and the fit a small network reaches on smooth targets in seconds.</summary>
    public const double DefaultR2 = 0.9999;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The one line a miss prints: what was reached, what was wanted, what to run next.</summary>
    public string Line => Fitted
        ? $"fitted: reached {Achieved}; wanted {Goal}"
        : $"not fitted: reached {Achieved}; wanted {Goal}; next: {Next}";

    internal static Verdict For(FitResult r)
    {
        var c = r.Config;
        var e = r.Evaluation;
        bool diverged = r.StopReason == Training.StopReason.Diverged;
        string where = Where(e);
        (bool met, string goal, string achieved) = (c.GoalMse, c.GoalMaxError) switch
        {
            (null, null) when r.Baseline is { } b => BeatBaseline(r, b),
            (null, null) => (e.R2 >= DefaultR2, string.Create(Inv, $"r2 ≥ {DefaultR2} on the evaluation"), Reached(e, where, c.Objective == ObjectiveKind.Minimax)),
            _ => (!r.MissedGoal, Requested(c), Reached(e, where, c.Objective == ObjectiveKind.Minimax)),
        };
        bool fitted = met && !diverged;
        if (diverged) achieved += " (training diverged)";
        // diagnosis judges one output: a miss of several points to the first output's diagnosis
        return new Verdict(fitted, goal, achieved, fitted ? null : c.OutputCount > 1 ? FirstOutputOnly(c, "diagnose") : CommandLine.For("diagnose", c));
    }

    /// <summary>The command that runs <paramref name="command"/> on the first output of a run of several.</summary>
    internal static string FirstOutputOnly(RunConfig c, string command) =>
        c.Rows is not null ? $"{command} with one column of y"
        : CommandLine.For(command, c.Data is not null ? c with { TargetColumn = c.TargetColumns![0], TargetColumns = null } : c with { Targets = null });

    /// <summary>The outputs of a run of several: its target columns or expressions.</summary>
    internal static string OutputList(RunConfig c) => string.Join(", ", c.Rows is { } rows ? rows.TargetNames : c.Data is not null ? c.TargetColumns ?? [] : c.TargetExpressions);

    /// <summary>
    /// A data fit's default goal, judged on rows neither model learnt from — the test rows when there are some (the
    /// baseline's r2 there is measured on the same rows), else the rows the choice was made on: the model must have
    /// learnt something (<see cref="LearntSomething"/>), and then either the network beats the linear baseline, or the
    /// model's error is down to the data's noise (<see cref="FitResult.AtNoiseFloor"/>) — a line that reaches the
    /// noise is as good a fit as the data allow, and no network can beat it — or it meets an expression's goal (R² ≥
    /// <see cref="DefaultR2"/>) there.
    /// </summary>
    static (bool, string, string) BeatBaseline(FitResult r, Baseline b)
    {
        var e = r.Evaluation;
        string goal = string.Create(Inv, $"beat the linear baseline, reach the noise or r2 ≥ {DefaultR2} on held-out rows");
        string against = string.Create(Inv, $"the linear baseline's {b.R2:g4} (ridge, α {G(b.Alpha)})");
        string model = r.UsesBaseline ? "by the linear baseline, which no network beat" : $"against {against}";
        string reached = string.Create(Inv, $"r2 {e.R2:g4} {Where(e)}{(r.UsesBaseline ? " " : ", ")}{model}");
        if (!LearntSomething(e))
            return (false, goal, reached + string.Create(Inv, $": chance gives r2 ≤ {G(ChanceR2(e.Points))} on {e.Points:N0} rows, so nothing is shown learnt"));
        // an expression's standard, met on rows no model learnt from, is a fit whatever the baseline or the noise
        // estimate (which, on a noiseless target, compares rounding errors) say
        if (e.R2 >= DefaultR2) return (true, goal, reached);
        if (r.AtNoiseFloor)
            return (true, goal, reached + $", within the noise (mse {G(e.Mse)}, noise ≤ {G(r.Noise!.Ceiling)})");
        if (r.UsesBaseline) return (false, goal, reached);
        bool tested = r.Splits?.ContainsKey("test") ?? false;
        bool beats = tested ? e.R2 > b.R2 : r.NetworkBeatsBaseline ?? e.R2 > b.R2;
        return (beats, goal, reached);
    }

    /// <summary>
    /// R² a prediction unrelated to the targets can reach on <paramref name="rows"/> held-out rows by chance: at
    /// best ρ², its chance correlation with them squared (a constant's R² is ≤ 0), and ρ has a standard deviation of
    /// 1/√n; so two standard deviations, (2/√n)² = 4/n, bound it with about 95 % confidence.
    /// </summary>
    internal static double ChanceR2(int rows) => 4.0 / Math.Max(1, rows);

    /// <summary>The held-out R² is above what chance gives (<see cref="ChanceR2"/>): the model learnt something.</summary>
    internal static bool LearntSomething(Evaluation.Evaluation e) => e.R2 > ChanceR2(e.Points);

    static string Where(Evaluation.Evaluation e) => e.Sampling switch
    {
        EvaluationSamplings.Sobol => string.Create(Inv, $"on {e.Points:N0} Sobol points of {e.Domain}"),
        EvaluationSamplings.Rows => $"on the {e.Domain}",
        _ => string.Create(Inv, $"on {e.Points:N0} grid points of {e.Domain}"),
    };

    static string Reached(Evaluation.Evaluation e, string where, bool minimax = false) => minimax
        ? string.Create(Inv, $"max |error| {G(e.MaxAbsError)} (r2 {e.R2:g6}, mse {G(e.Mse)}) {where}")
        : string.Create(Inv, $"r2 {e.R2:g6}, mse {G(e.Mse)}, max |error| {G(e.MaxAbsError)} {where}");

    /// <summary>Three digits as people write them: 1e-14, 0.0123.</summary>
    internal static string G(double v) => v.ToString("g3", Inv).Replace("E", "e");

    static string Requested(RunConfig c)
    {
        var parts = new List<string>();
        if (c.GoalMse is double m) parts.Add($"mse ≤ {G(m)}");
        if (c.GoalMaxError is double x) parts.Add($"max |error| ≤ {G(x)}");
        return $"{string.Join(" and ", parts)} on the evaluation";
    }
}
