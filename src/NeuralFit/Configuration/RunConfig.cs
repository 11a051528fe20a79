using NeuralFit.Networks;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Configuration;

/// <summary>
/// Everything that describes one run. Every property has a conventional default; <see cref="Given"/> records which
/// keys the user set (in a file or by a flag), so <see cref="Defaults"/> can choose the rest to fit the problem
/// and diagnosis can tell the user's choices from NeuralFit's. Keys and flags are listed in <see cref="Settings"/>.
/// </summary>
public sealed record RunConfig
{
    public string? Target { get; init; }

    /// <summary>Several target expressions over the same inputs, one output each (null for one: <see cref="Target"/>,
    /// which is then the first of them).</summary>
    public IReadOnlyList<string>? Targets { get; init; }
    public IReadOnlyList<Interval> Domain { get; init; } = [new(0, 1)];
    public string? Data { get; init; }
    public string? TargetColumn { get; init; }

    /// <summary>With <see cref="Data"/>: several target columns, one output each (null for one: <see cref="TargetColumn"/>).</summary>
    public IReadOnlyList<string>? TargetColumns { get; init; }

    /// <summary>With <see cref="Data"/>: the input columns, in order; null for every column but the target and the dropped ones.</summary>
    public IReadOnlyList<string>? InputColumns { get; init; }

    /// <summary>With <see cref="Data"/>: columns left out (an ID, a label); "#1" names an unnamed first column.</summary>
    public IReadOnlyList<string> DropColumns { get; init; } = [];
    public IReadOnlyList<int> Layers { get; init; } = [32, 32];
    public Activation Activation { get; init; } = Activation.Tanh;
    public InitSpec Init { get; init; } = new(InitKind.GlorotUniform);
    public InitSpec BiasInit { get; init; } = InitSpec.Zeros;
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    public double LearningRate { get; init; } = 1e-3;
    public ScheduleSpec Schedule { get; init; } = ScheduleSpec.Constant;
    public int BatchSize { get; init; } = 64;
    public int Steps { get; init; } = 5000;
    public SamplerKind Sampler { get; init; } = SamplerKind.Uniform;
    public int Samples { get; init; } = 1000;
    public NormalizeMode Normalize { get; init; } = NormalizeMode.Auto;
    public NormalizerKind Normalizer { get; init; } = NormalizerKind.Auto;
    public double Dropout { get; init; }
    public double WeightDecay { get; init; }
    public double? ClipNorm { get; init; }
    public RegularizationKind Regularization { get; init; } = RegularizationKind.None;
    public ObjectiveKind Objective { get; init; } = ObjectiveKind.Mse;
    public double ValidationFraction { get; init; }
    public int? EarlyStopping { get; init; }
    public Precision Precision { get; init; } = Precision.Float32;
    public ulong Seed { get; init; } = 1;
    /// <summary>A progress line every this many steps; null or 0 for none.</summary>
    public int? DisplayStep { get; init; }
    public double TestFraction { get; init; } = 0.15;
    public IReadOnlyList<Interval>? EvalDomain { get; init; }
    public int EvalPoints { get; init; } = 1000;
    public double? LossGoal { get; init; }
    public double? GoalMse { get; init; }
    public double? GoalMaxError { get; init; }
    public string? Checkpoint { get; init; }
    public int? CheckpointEvery { get; init; }
    public DivergencePolicy OnDivergence { get; init; } = DivergencePolicy.Stop;
    public double? MaxSeconds { get; init; }

    /// <summary>With a data file: choose the network on K-fold cross-validation (null: NeuralFit chooses, see <c>DataFit</c>).</summary>
    public int? Folds { get; init; }
    public long? MaxMemory { get; init; }

    /// <summary>Keys (JSON names) the user set.</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    /// <summary>Folder that relative paths (the data file) are read from: the config file's folder, else the working folder.</summary>
    public string BaseDirectory { get; init; } = ".";

    public bool IsGiven(string key) => Given.Contains(key);

    /// <summary>
    /// A run of the expression over the domain (one range per input) with everything else left to NeuralFit, as
    /// `neuralfit fit --target T --domain D` does. Set more keys with <c>with { … }</c> and add their names to
    /// <see cref="Given"/> to keep them as written.
    /// </summary>
    public static RunConfig ForTarget(string target, params Interval[] domain) => new()
    {
        Target = target,
        Domain = domain,
        Given = new HashSet<string> { "target", "domain" },
    };

    public int InputCount => Domain.Count;

    /// <summary>The target expressions, one per output: <see cref="Targets"/>, else <see cref="Target"/> alone.</summary>
    public IReadOnlyList<string> TargetExpressions => Targets ?? (Target is null ? [] : [Target]);

    /// <summary>Outputs the network has: one per target expression or target column.</summary>
    public int OutputCount => Data is not null ? TargetColumns?.Count ?? 1 : Math.Max(1, TargetExpressions.Count);

    /// <summary>Where the evaluation grid lies: evalDomain if set, else the domain.</summary>
    public IReadOnlyList<Interval> EffectiveEvalDomain => EvalDomain ?? Domain;
}
