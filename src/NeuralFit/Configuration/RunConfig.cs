using NeuralFit.Networks;
using NeuralFit.Targets.Datasets;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Configuration;

/// <summary>
/// Everything that describes one run, every setting with a value: the configuration the engine runs. It is made from
/// the caller's <see cref="FitOptions"/> (<see cref="From"/>, conventional values where they are null), completed by
/// <see cref="Defaults.Complete(FitOptions)"/>, and keeps those options (<see cref="Options"/>), so that diagnosis
/// can tell the user's choices from NeuralFit's. Keys and flags are listed in <see cref="Settings"/>.
/// </summary>
internal sealed record RunConfig
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

    /// <summary>Rows L-BFGS trains on first (<see cref="FitOptions.Subsample"/>); 0 for every row from the start.</summary>
    public int Subsample { get; init; }
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

    /// <summary>Which settings the caller set (not null) and which NeuralFit chooses (null); the values run are this
    /// configuration's. Null for a configuration built whole in code, whose every setting counts as chosen (see
    /// <see cref="Chosen(string)"/>).</summary>
    public FitOptions? Options { get; init; }

    /// <summary>Rows given in memory (the array estimator's x and y) in place of the data file <see cref="Data"/> names.</summary>
    public Dataset? Rows { get; init; }

    /// <summary>Folder that relative paths (the data file) are read from: the config file's folder, else the working folder.</summary>
    public string BaseDirectory { get; init; } = ".";

    /// <summary>True when the caller set <paramref name="key"/> in their options (false for a configuration built whole in code).</summary>
    public bool IsGiven(string key) => Options is not null && Settings.ByKey[key].IsSet(Options);

    /// <summary>True when the caller chose the setting: set in their options, or any setting of a configuration built whole in code.</summary>
    public bool Chosen(Func<FitOptions, object?> setting) => Options is null || setting(Options) is not null;

    /// <inheritdoc cref="Chosen(Func{FitOptions, object})"/>
    public bool Chosen(string key) => Options is null || IsGiven(key);

    /// <summary>
    /// The caller's options on the conventional values: every setting they left null takes the value it has in a new
    /// RunConfig, which <see cref="Defaults.Complete(RunConfig)"/> then replaces where the problem calls for another.
    /// </summary>
    public static RunConfig From(FitOptions o) => Over(new RunConfig(), o) with { Options = o };

    /// <summary><paramref name="basis"/> with every setting that <paramref name="o"/> sets (its <see cref="Options"/> as they were).</summary>
    public static RunConfig Over(RunConfig basis, FitOptions o)
    {
        var c = basis;
        return c with
        {
            BaseDirectory = o.BaseDirectory ?? c.BaseDirectory,
            // several expressions may be given as Targets alone; Target is then the first
            Target = o.Target ?? o.Targets?.FirstOrDefault() ?? c.Target,
            Targets = o.Targets is { Count: > 1 } several ? several : o.Target is null && o.Targets is null ? c.Targets : null,
            Domain = o.Domain ?? c.Domain,
            Data = o.Data ?? c.Data,
            TargetColumn = o.TargetColumn ?? (o.TargetColumns is null ? c.TargetColumn : null),
            TargetColumns = o.TargetColumns ?? (o.TargetColumn is null ? c.TargetColumns : null),
            InputColumns = o.InputColumns ?? c.InputColumns,
            DropColumns = o.DropColumns ?? c.DropColumns,
            Layers = o.Layers ?? c.Layers,
            Activation = o.Activation ?? c.Activation,
            Init = o.Init ?? c.Init,
            BiasInit = o.BiasInit ?? c.BiasInit,
            Optimizer = o.Optimizer ?? c.Optimizer,
            LearningRate = o.LearningRate ?? c.LearningRate,
            Schedule = o.Schedule ?? c.Schedule,
            BatchSize = o.BatchSize ?? c.BatchSize,
            Steps = o.Steps ?? c.Steps,
            Sampler = o.Sampler ?? c.Sampler,
            Samples = o.Samples ?? c.Samples,
            Normalize = o.Normalize ?? c.Normalize,
            Normalizer = o.Normalizer ?? c.Normalizer,
            Dropout = o.Dropout ?? c.Dropout,
            WeightDecay = o.WeightDecay ?? c.WeightDecay,
            ClipNorm = o.ClipNorm ?? c.ClipNorm,
            Regularization = o.Regularization ?? c.Regularization,
            Objective = o.Objective ?? c.Objective,
            ValidationFraction = o.ValidationFraction ?? c.ValidationFraction,
            EarlyStopping = o.EarlyStopping ?? c.EarlyStopping,
            Subsample = o.Subsample ?? c.Subsample,
            Precision = o.Precision ?? c.Precision,
            Seed = o.Seed ?? c.Seed,
            DisplayStep = o.DisplayStep ?? c.DisplayStep,
            TestFraction = o.TestFraction ?? c.TestFraction,
            EvalDomain = o.EvalDomain ?? c.EvalDomain,
            EvalPoints = o.EvalPoints ?? c.EvalPoints,
            LossGoal = o.LossGoal ?? c.LossGoal,
            GoalMse = o.GoalMse ?? c.GoalMse,
            GoalMaxError = o.GoalMaxError ?? c.GoalMaxError,
            Checkpoint = o.Checkpoint ?? c.Checkpoint,
            CheckpointEvery = o.CheckpointEvery ?? c.CheckpointEvery,
            OnDivergence = o.OnDivergence ?? c.OnDivergence,
            MaxSeconds = o.MaxSeconds ?? c.MaxSeconds,
            Folds = o.Folds ?? c.Folds,
            MaxMemory = o.MaxMemory ?? c.MaxMemory,
        };
    }

    /// <summary>Every setting as this configuration runs it, as options that reproduce it (what a result reports and a file saves).</summary>
    public FitOptions ToOptions() => new()
    {
        BaseDirectory = BaseDirectory,
        Target = Target,
        Targets = Targets,
        Domain = Domain,
        Data = Data,
        TargetColumn = TargetColumn,
        TargetColumns = TargetColumns,
        InputColumns = InputColumns,
        DropColumns = DropColumns.Count > 0 ? DropColumns : null, // none dropped is the default, not a choice
        Layers = Layers,
        Activation = Activation,
        Init = Init,
        BiasInit = BiasInit,
        Optimizer = Optimizer,
        LearningRate = LearningRate,
        Schedule = Schedule,
        BatchSize = BatchSize,
        Steps = Steps,
        Sampler = Sampler,
        Samples = Samples,
        Normalize = Normalize,
        Normalizer = Normalizer,
        Dropout = Dropout,
        WeightDecay = WeightDecay,
        ClipNorm = ClipNorm,
        Regularization = Regularization,
        Objective = Objective,
        ValidationFraction = ValidationFraction,
        EarlyStopping = EarlyStopping,
        Subsample = Subsample,
        Precision = Precision,
        Seed = Seed,
        DisplayStep = DisplayStep,
        TestFraction = TestFraction,
        EvalDomain = EvalDomain,
        EvalPoints = EvalPoints,
        LossGoal = LossGoal,
        GoalMse = GoalMse,
        GoalMaxError = GoalMaxError,
        Checkpoint = Checkpoint,
        CheckpointEvery = CheckpointEvery,
        OnDivergence = OnDivergence,
        MaxSeconds = MaxSeconds,
        Folds = Folds,
        MaxMemory = MaxMemory,
    };

    public int InputCount => Domain.Count;

    /// <summary>The target expressions, one per output: <see cref="Targets"/>, else <see cref="Target"/> alone.</summary>
    public IReadOnlyList<string> TargetExpressions => Targets ?? (Target is null ? [] : [Target]);

    /// <summary>Outputs the network has: one per target expression or target column.</summary>
    public int OutputCount => Rows is { } rows ? rows.OutputCount : Data is not null ? TargetColumns?.Count ?? 1 : Math.Max(1, TargetExpressions.Count);

    /// <summary>Where the evaluation grid lies: evalDomain if set, else the domain.</summary>
    public IReadOnlyList<Interval> EffectiveEvalDomain => EvalDomain ?? Domain;
}
