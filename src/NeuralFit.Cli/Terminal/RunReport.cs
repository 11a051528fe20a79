using System.Globalization;
using System.Text;
using NeuralFit.Fitting;
using NeuralFit.Training.Observers;

namespace NeuralFit.Cli.Terminal;

/// <summary>What `neuralfit fit` prints: display lines and the closing summary.</summary>
static class RunReport
{
    static readonly IFormatProvider Inv = TerminalNumbers.Format;

    public static string Display(DisplayLine l)
    {
        string line = string.Create(Inv, $"step {l.Step,6}: for x = {Vector(l.X)} and target y = {l.Target:F5} the prediction was y = {l.Prediction:F5}, squared loss {l.SquaredLoss:G4}");
        return double.IsFinite(l.BatchLoss) ? line + string.Create(Inv, $" (batch loss {l.BatchLoss:G4})") : line;
    }

    public static string Summary(FitResult r)
    {
        var c = r.Config;
        var e = r.Evaluation;
        var s = new StringBuilder();
        bool inline = InputTable.Inline(c.Domain);
        s.AppendLine(string.Create(Inv, $"fit {c.Target ?? c.Data} on {InputTable.Ranges(c.Domain)}: network {string.Join("-", [c.Domain.Count, .. c.Layers, 1])} {c.Activation.ToString().ToLowerInvariant()}, {Training(c)}, {c.Precision.ToString().ToLowerInvariant()}, seed {c.Seed}"));
        string trained = r.StartStep > 0 ? $"resumed at step {r.StartStep:N0}, trained to step {r.Steps:N0}" : $"trained {r.Steps:N0} steps";
        s.AppendLine(string.Create(Inv, $"{trained} in {r.WallSeconds:F2} s ({r.StepsPerSecond:N0} steps/s); {Stop(r)}"));
        foreach (var note in r.Notes) s.AppendLine($"note: {note}");
        s.AppendLine(string.Create(Inv, $"evaluation on {e.Domain} ({e.Points} points):"));
        s.AppendLine(string.Create(Inv, $"  mse {e.Mse:G4}   rmse {e.Rmse:G4}   max |error| {e.MaxAbsError:G4}{(e.WorstInput.Length == 0 ? "" : inline ? $" at x = {Vector(e.WorstInput)}" : " at the point in the table")}   r2 {e.R2:G6}"));
        s.AppendLine(string.Create(Inv, $"  output mean {e.OutputMean:F4} std {e.OutputStd:G4}   target mean {e.TargetMean:F4} std {e.TargetStd:G4}"));
        if (!inline) s.Append(InputTable.Render(r.Model.InputNames, c.Domain, e.WorstInput));
        if (r.Reference is { } reference)
            s.AppendLine(string.Create(Inv, $"  reference: a Chebyshev interpolant with {reference.Coefficients} coefficients (as many as the network's parameters): max |error| {reference.Evaluation.MaxAbsError:G4}   r2 {reference.Evaluation.R2:G6}"));
        if (r.MissedGoal) s.AppendLine(string.Create(Inv, $"goal missed: {Goal(r)}"));
        return s.ToString();
    }

    /// <summary>"adam lr 0.001, batch 64", or "lm on the whole training set": a solver has neither.</summary>
    static string Training(NeuralFit.Configuration.RunConfig c) => NeuralFit.Configuration.Choices.IsWholeBatch(c.Optimizer)
        ? string.Create(Inv, $"{NeuralFit.Configuration.Choices.Name(c.Optimizer)} on the whole training set")
        : string.Create(Inv, $"{NeuralFit.Configuration.Choices.Name(c.Optimizer)} lr {c.LearningRate:G3}, batch {c.BatchSize}");

    static string Stop(FitResult r) => r.StopDetail is null
        ? $"stopped: {Results.ResultJson.Kebab(r.StopReason.ToString())}"
        : $"stopped: {Results.ResultJson.Kebab(r.StopReason.ToString())} ({r.StopDetail})";

    static string Goal(FitResult r)
    {
        var parts = new List<string>();
        if (r.Config.GoalMse is double m) parts.Add(string.Create(Inv, $"mse {r.Evaluation.Mse:G3} (wanted ≤ {m:G3})"));
        if (r.Config.GoalMaxError is double x) parts.Add(string.Create(Inv, $"max |error| {r.Evaluation.MaxAbsError:G3} (wanted ≤ {x:G3})"));
        return string.Join(", ", parts);
    }

    public static string Vector(double[] x) => x.Length == 1
        ? TerminalNumbers.Show(x[0], "G6")
        : "(" + string.Join(", ", x.Select(v => TerminalNumbers.Show(v, "G6"))) + ")";
}
