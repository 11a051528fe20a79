using System.Reflection;
using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Networks;

namespace NeuralFit.Persistence;

/// <summary>
/// A fitted model and what its file says about it: the names of its inputs, the target and domain it was fitted
/// on, and how training went. This is what <see cref="ModelFile"/> writes and reads, and what the exporters take
/// (a fit's result makes one with <c>FitResult.ToSavedModel</c>).
/// </summary>
internal sealed record SavedModel
{
    /// <summary>The network with its normalisation; predicts in the user's units.</summary>
    public required FittedModel Model { get; init; }

    /// <summary>One name per input, in order: "x" for one input, "x1".."xn" for several (as in target expressions).</summary>
    public required IReadOnlyList<string> InputNames { get; init; }

    /// <summary>The target expression fitted, when there was one (the first, when there were several).</summary>
    public string? Target { get; init; }

    /// <summary>The target expressions, one per output, when several were fitted; null otherwise.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>The outputs' names, one per output (y for one output; y1..yk, or a data file's target columns).</summary>
    public IReadOnlyList<string> OutputNames => Model.TargetNames;

    /// <summary>The training domain, one range per input: the expression's domain, or a data file's input ranges;
    /// empty when unknown (a file that does not record it).</summary>
    public IReadOnlyList<Interval> Domain { get; init; } = [];

    public TrainingSummary? Training { get; init; }

    /// <summary>
    /// Predictions at x, row-major (n, inputs), in the user's units (row-major (n, outputs) with several outputs), with
    /// the points that lie outside the training ranges (<see cref="Domain"/>): a fit is only known where it was trained.
    /// </summary>
    public Predictions Predict(ReadOnlySpan<double> x) => new(Model.Predict(x), Extrapolation.Check(Domain, x));

    public Precision Precision => Model is FittedModel<float> ? Precision.Float32 : Precision.Float64;

    /// <summary>y for one output, y1..yk for several.</summary>
    public static string[] DefaultOutputNames(int outputs) =>
        outputs == 1 ? ["y"] : Enumerable.Range(1, outputs).Select(i => $"y{i}").ToArray();

    public static IReadOnlyList<string> DefaultInputNames(int inputs) =>
        inputs == 1 ? ["x"] : Enumerable.Range(1, inputs).Select(i => $"x{i}").ToArray();

    /// <summary>"NeuralFit 0.1.0": the library version that writes files, for the files' "writtenBy".</summary>
    public static string Producer => $"NeuralFit {ProducerVersion}";

    public static string ProducerVersion =>
        typeof(SavedModel).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(SavedModel).Assembly.GetName().Version?.ToString() ?? "unknown";
}

/// <summary>Predictions in the user's units, and which of their points lie outside the training ranges.</summary>
internal sealed record Predictions(double[] Y, Extrapolation Extrapolation);

/// <summary>How the saved model was trained and how well it fitted: for people reading the file; prediction never uses it.</summary>
internal sealed record TrainingSummary
{
    public int Steps { get; init; }
    public double WallSeconds { get; init; }
    public string StopReason { get; init; } = "completed";

    /// <summary>The last recorded training loss, in the network's (normalised) units.</summary>
    public double? FinalLoss { get; init; }

    public string? EvaluationDomain { get; init; }
    public int? EvaluationPoints { get; init; }
    public double? Mse { get; init; }
    public double? MaxAbsError { get; init; }
    public double? R2 { get; init; }

    /// <summary>The effective configuration of the run, as in the result JSON.</summary>
    public JsonObject? Config { get; init; }

    public DateTimeOffset? SavedAt { get; init; }
}
