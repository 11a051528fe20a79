using System.Globalization;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Fitting;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// For --verbose: prints the problem as the run set it up, just before training starts: the network and its
/// parameter count, the normaliser, the training, validation and evaluation data, the choices NeuralFit made, and
/// the kernel plan: which path runs for each layer of a training step, and why.
/// </summary>
sealed class ProblemPrinter(Action<string> print) : IRunExtension
{
    static readonly IFormatProvider Inv = TerminalNumbers.Format;

    public void Attach<T>(RunContext<T> context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var c = context.Config;
        var p = context.Problem;
        var shape = context.Session.Network.Shape;
        print(string.Create(Inv, $"network: {shape} {shape.Activation.Name()}, {shape.ParameterCount:N0} parameters, {c.Precision.Name()}; init {c.Init}, bias {c.BiasInit}"));
        print(c.Optimizer.IsWholeBatch()
            ? string.Create(Inv, $"training: {c.Optimizer.Name()} on the whole training set, at most {c.Steps:N0} iterations, seed {c.Seed}")
            : string.Create(Inv, $"training: {c.Optimizer.Name()} lr {c.LearningRate:G3} ({c.Schedule}), batch {c.BatchSize}, {c.Steps:N0} steps, seed {c.Seed}"));
        print(p.FreshSampling
            ? $"data: a fresh uniform batch every step on {string.Join(", ", p.Domain)}"
            : string.Create(Inv, $"data: {Words.Count(p.Training.Count, "training point")} ({c.Sampler.Name()}), {Words.Count(p.Validation.Count, "validation point")}"));
        print(string.Create(Inv, $"evaluation: {Words.Count(p.EvaluationSet.Count, p.IsDataset ? "point" : "grid point")} on {p.EvaluationLabel}"));
        for (int k = 0; k < p.Normalization.Inputs.Length; k++)
            print($"normaliser: input {p.InputNames[k]} {Describe(p.Normalization.Inputs[k], byRange: c.Normalizer != NormalizerKind.Standardize)}");
        print($"normaliser: target {Describe(p.Normalization.Target, byRange: c.Normalizer == NormalizerKind.MinMax)}");
        // a data file's ranges are its own, shown in the closing table, not a default
        var effective = c.ToOptions();
        var chosen = Settings.All.Where(s => !c.IsGiven(s.Key) && s.Write(effective) is not null && !(c.Data is not null && s.Key == "domain")).Select(s => $"{s.Key}={s.Write(effective)!.ToJsonString().Replace("E-", "e-").Replace("E+", "e+")}");
        print($"defaults used: {string.Join(", ", chosen)}");
        var plan = context.Steps is { } steps ? steps.Workspace.Plan.Describe() : context.Solver!.Plan.Describe(); // a solver's: its float64 blocks
        foreach (var line in plan) print(line);
    }

    /// <summary>Reads a run's data file ahead of the run, which then finds it read, and says how long that took.</summary>
    public static string ReadData(RunConfig c)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = Targets.Datasets.Dataset.Load(c);
        return string.Create(Inv, $"data: {data.Source} read in {clock.Elapsed.TotalSeconds:F2} s: {Words.Count(data.Count, "row")} × {data.InputCount + 1} columns");
    }

    static string Describe(AffineMap m, bool byRange) => m.IsIdentity
        ? "as given"
        : string.Create(Inv, $"{(byRange ? "range onto [−1, 1]" : "standardised")}: (v {(m.Shift < 0 ? "+" : "−")} {Math.Abs(m.Shift):G4}) / {m.Scale:G4}");
}
