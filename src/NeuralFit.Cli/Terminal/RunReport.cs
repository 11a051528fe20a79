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

    /// <param name="withVerdict">False when the caller prints its own verdict line after more of its own output (diagnose).</param>
    public static string Summary(FitResult r, bool withVerdict = true)
    {
        var c = r.Config;
        var e = r.Evaluation;
        var s = new StringBuilder();
        bool inline = InputTable.Inline(c.Domain);
        int outputs = r.Model.OutputCount;
        string what = c.Targets is { Count: > 1 } targets ? string.Join("; ", targets) : c.Target ?? c.Data ?? "";
        // The linear baseline as the model is a network with no hidden layer (so no activation) that is solved, not trained.
        string network = r.UsesBaseline ? $"{c.Domain.Count}-1 linear (no hidden layer), ridge regression in closed form"
            : $"{string.Join("-", [c.Domain.Count, .. c.Layers, outputs])} {c.Activation.ToString().ToLowerInvariant()}, {Training(c)}";
        s.AppendLine(string.Create(Inv, $"fit {what} on {InputTable.Ranges(c.Domain)}: network {network}, {c.Precision.ToString().ToLowerInvariant()}, seed {c.Seed}"));
        if (r.UsesBaseline) s.AppendLine(string.Create(Inv, $"the linear baseline is the model: solved in closed form, no training steps; {r.WallSeconds:F2} s in all"));
        else
        {
            string trained = r.StartStep > 0 ? $"resumed at step {r.StartStep:N0}, trained to step {r.Steps:N0}" : $"trained {r.Steps:N0} steps";
            s.AppendLine(string.Create(Inv, $"{trained} in {r.WallSeconds:F2} s ({r.StepsPerSecond:N0} steps/s); {Stop(r)}"));
        }
        foreach (var note in r.Notes) s.AppendLine($"note: {note}");
        s.AppendLine(string.Create(Inv, $"evaluation on {e.Domain} ({Points(e)}):"));
        s.AppendLine(string.Create(Inv, $"  mse {e.Mse:G4}   rmse {e.Rmse:G4}   max |error| {e.MaxAbsError:G4}{(e.WorstInput.Length == 0 ? "" : inline ? $" at x = {Vector(e.WorstInput)}" : " at the point in the table")}   r2 {e.R2:G6}"));
        s.AppendLine(string.Create(Inv, $"  output mean {e.OutputMean:F4} std {e.OutputStd:G4}   target mean {e.TargetMean:F4} std {e.TargetStd:G4}"));
        if (!inline) s.Append(InputTable.Render(r.Model.InputNames, c.Domain, e.WorstInput));
        if (e.PerOutput.Count > 0)
        {
            // overall: the mean of the outputs' mse and r2, the largest max |error| (Metrics.Compare)
            int width = Math.Max(6, e.PerOutput.Max(o => (o.OutputName ?? "").Length));
            s.AppendLine(string.Create(Inv, $"  per output ({e.PerOutput.Count}; above, the mean mse and r2 and the largest max |error|):"));
            foreach (var o in e.PerOutput)
                s.AppendLine(string.Create(Inv, $"    {Lines.OneLine(o.OutputName ?? "").PadRight(width)}  mse {o.Mse:G4}   rmse {o.Rmse:G4}   max |error| {o.MaxAbsError:G4}   r2 {o.R2:G6}"));
        }
        if (r.Reference is { } reference)
            s.AppendLine(string.Create(Inv, $"  reference: a Chebyshev interpolant with {reference.Coefficients} coefficients (as many as the network's parameters): max |error| {reference.Evaluation.MaxAbsError:G4}   r2 {reference.Evaluation.R2:G6}"));
        if (r.Baseline is { Alphas.Count: > 1 } several)
            s.AppendLine(string.Create(Inv, $"  baseline: ridge regression per output (α {string.Join(", ", several.Alphas.Select(a => a.ToString("G3", Inv)))}): r2 {several.R2:G6} (mean; {string.Join(", ", several.Evaluation.PerOutput.Select(o => $"{Lines.OneLine(o.OutputName ?? "")} {o.R2.ToString("G4", Inv)}"))})   rmse {several.Rmse:G4}"));
        else if (r.Baseline is { } b)
            s.AppendLine(string.Create(Inv, $"  baseline: ridge regression (α {b.Alpha:G3}){(r.UsesBaseline ? ", the model" : "")}: r2 {b.R2:G6}   rmse {b.Rmse:G4}{(double.IsFinite(b.HeldOutR2) ? $"   held-out r2 {TerminalNumbers.Show(b.HeldOutR2, "G4")}" : "")}"));
        if (r.Stages.Count > 0)
        {
            s.AppendLine(string.Create(Inv, $"stages ({r.Stages[0].MeasuredOn}):"));
            foreach (var stage in r.Stages)
                s.AppendLine(string.Create(Inv, $"  {Network(c.Domain.Count, stage.Layers),-14} {stage.Method,-12} {stage.Samples,8:N0} points  {stage.Seconds,6:F2} s   r2 {stage.Metric:G6}{(double.IsFinite(stage.MaxAbsError) ? $"   max |error| {TerminalNumbers.Show(stage.MaxAbsError, "G3")}" : "")}"));
        }
        if (withVerdict) s.AppendLine(r.Verdict.Line);
        return s.ToString();
    }

    /// <summary>"adam lr 0.001, batch 64", or "lm on the whole training set": a solver has neither.</summary>
    static string Training(NeuralFit.Configuration.RunConfig c) => NeuralFit.Configuration.Choices.IsWholeBatch(c.Optimizer)
        ? string.Create(Inv, $"{NeuralFit.Configuration.Choices.Name(c.Optimizer)} on the whole training set")
        : string.Create(Inv, $"{NeuralFit.Configuration.Choices.Name(c.Optimizer)} lr {c.LearningRate:G3}, batch {c.BatchSize}");

    static string Stop(FitResult r) => r.StopDetail is null
        ? $"stopped: {Results.ResultJson.Kebab(r.StopReason.ToString())}"
        : $"stopped: {Results.ResultJson.Kebab(r.StopReason.ToString())} ({r.StopDetail})";

    static string Points(NeuralFit.Evaluation.Evaluation e) => e.Sampling switch
    {
        NeuralFit.Evaluation.EvaluationSamplings.Sobol => string.Create(Inv, $"{e.Points:N0} Sobol points, and {e.SearchedPoints:N0} more searched for the worst"),
        NeuralFit.Evaluation.EvaluationSamplings.Rows => string.Create(Inv, $"{e.Points:N0} rows"),
        _ => string.Create(Inv, $"{e.Points} grid points"),
    };

    static string Network(int inputs, IReadOnlyList<int> layers, int outputs = 1) => string.Join("-", [inputs, .. layers, outputs]);

    public static string Vector(double[] x) => x.Length == 1
        ? TerminalNumbers.Show(x[0], "G6")
        : "(" + string.Join(", ", x.Select(v => TerminalNumbers.Show(v, "G6"))) + ")";
}
