using NeuralFit.Networks;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Configuration;

/// <summary>
/// What a caller asks of a fit. Every setting is nullable: null means "NeuralFit chooses" (to suit the problem and
/// the settings that are set), and a setting that is set is used as written, whichever way it was set — in an
/// initializer, with <c>with</c>, from a JSON file (<see cref="Load"/>, <see cref="FromJson"/>) or from a flag of the
/// `neuralfit` command, which fills the same type. The JSON keys are the property names in camelCase
/// (<c>learningRate</c>); README.md lists each with its flag and meaning.
/// <code>
/// var options = FitOptions.ForTarget("ln(x)", new Interval(0.01, 1)) with { Layers = [5], Steps = 30 };
/// </code>
/// A fit's result gives back the options it ran with, every choice filled in (<c>FitResult.EffectiveOptions</c>).
/// </summary>
public sealed record FitOptions
{
    // The target: an expression over a domain, or a data file (the array estimator takes its data as arguments).
    public string? Target { get; init; }

    /// <summary>Several target expressions over the same inputs, one output each (<see cref="Target"/> is then the first).</summary>
    public IReadOnlyList<string>? Targets { get; init; }
    public IReadOnlyList<Interval>? Domain { get; init; }
    public string? Data { get; init; }
    public string? TargetColumn { get; init; }

    /// <summary>With <see cref="Data"/>: several target columns, one output each.</summary>
    public IReadOnlyList<string>? TargetColumns { get; init; }
    public IReadOnlyList<string>? InputColumns { get; init; }
    public IReadOnlyList<string>? DropColumns { get; init; }

    // The network.
    public IReadOnlyList<int>? Layers { get; init; }
    public Activation? Activation { get; init; }
    public InitSpec? Init { get; init; }
    public InitSpec? BiasInit { get; init; }

    // Training.
    public OptimizerKind? Optimizer { get; init; }
    public double? LearningRate { get; init; }
    public ScheduleSpec? Schedule { get; init; }
    public int? BatchSize { get; init; }
    public int? Steps { get; init; }
    public SamplerKind? Sampler { get; init; }
    public int? Samples { get; init; }
    public NormalizeMode? Normalize { get; init; }
    public NormalizerKind? Normalizer { get; init; }
    public double? Dropout { get; init; }
    public double? WeightDecay { get; init; }
    public double? ClipNorm { get; init; }
    public RegularizationKind? Regularization { get; init; }
    public ObjectiveKind? Objective { get; init; }
    public double? ValidationFraction { get; init; }

    /// <summary>Validation checks without improvement before training stops and keeps its best weights.</summary>
    public int? EarlyStopping { get; init; }

    /// <summary>Rows of a data file L-BFGS trains on first, chosen at random, before it trains on every row from there
    /// (0: every row from the start). NeuralFit sets it when it chooses L-BFGS for more rows than an iteration can afford.</summary>
    public int? Subsample { get; init; }
    public Precision? Precision { get; init; }
    public ulong? Seed { get; init; }

    /// <summary>A progress line every this many steps (0: none); lines go to the caller's display hook.</summary>
    public int? DisplayStep { get; init; }

    // Evaluation, goals and limits.
    public double? TestFraction { get; init; }
    public IReadOnlyList<Interval>? EvalDomain { get; init; }
    public int? EvalPoints { get; init; }
    public double? LossGoal { get; init; }
    public double? GoalMse { get; init; }
    public double? GoalMaxError { get; init; }
    public string? Checkpoint { get; init; }
    public int? CheckpointEvery { get; init; }
    public DivergencePolicy? OnDivergence { get; init; }
    public double? MaxSeconds { get; init; }
    public int? Folds { get; init; }
    public long? MaxMemory { get; init; }

    /// <summary>Not a setting: the folder a relative <see cref="Data"/> path is read from (a configuration file's
    /// folder); null for the working folder.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>The expression <paramref name="target"/> over <paramref name="domain"/> (one range per input), everything else left to NeuralFit.</summary>
    public static FitOptions ForTarget(string target, params Interval[] domain) => new() { Target = target, Domain = domain };

    /// <summary>The settings of a JSON object such as <c>{"target": "ln(x)", "domain": "0.01:1", "steps": 300}</c>; keys it
    /// does not hold stay null. Bad JSON, an unknown key or a value out of range throws <see cref="InputError"/>.</summary>
    /// <param name="source">Names the text in error messages.</param>
    public static FitOptions FromJson(string json, string source = "options") => ConfigReader.FromJson(json, source, new FitOptions());

    /// <summary>A JSON configuration file, as <c>neuralfit fit --config</c> reads it; a relative data path is read from its folder.</summary>
    public static FitOptions Load(string path) => ConfigReader.FromFile(path);

    /// <summary>The settings that are set, as a JSON object that <see cref="FromJson"/> reads back.</summary>
    public string ToJson() => ConfigReader.ToJson(this).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
}
