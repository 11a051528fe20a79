using System.Text.Json.Nodes;
using NeuralFit.Networks;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Configuration;

/// <summary>Every configuration key, in the order of DESIGN.md's table.</summary>
internal static class Settings
{
    public static readonly IReadOnlyList<Setting> All =
    [
        new("target", "--target", "expression in x (or x1..xn) to fit, e.g. \"ln(x)\"; repeat the flag (or give a JSON list) for several outputs over the same inputs",
            (c, v) => Targets(c, v), c => c.Targets is { Count: > 1 } list ? NamesJson(list) : c.Target, Repeatable: true),
        new("domain", "--domain", "input range lo:hi; repeat the flag once per input for several inputs",
            (c, v) => c with { Domain = Intervals(v) }, c => c.Domain is null ? null : IntervalsJson(c.Domain), Repeatable: true),
        new("data", "--data", "CSV file of samples instead of a target (header row; last column is the target unless --y names it)",
            (c, v) => c with { Data = NonEmpty(v) }, c => c.Data),
        new("targetColumn", "--y", "name of the target column in the CSV file; repeat the flag for several outputs (JSON targetColumns)",
            (c, v) => TargetColumns(c, v), c => c.TargetColumns is null ? c.TargetColumn : null, Repeatable: true),
        new("targetColumns", "--y", "with --data: the target columns, one output each (the flag --y, repeated)",
            (c, v) => TargetColumns(c, v), c => c.TargetColumns is null ? null : NamesJson(c.TargetColumns), Repeatable: true),
        new("inputColumns", "--input", "with --data: an input column (repeat the flag, or a comma list); default: every column but the target",
            (c, v) => c with { InputColumns = Names(v) }, c => c.InputColumns is null ? null : NamesJson(c.InputColumns), Repeatable: true),
        new("dropColumns", "--drop", "with --data: a column to leave out, such as an ID (repeat the flag, or a comma list); '#1' is the first column",
            (c, v) => c with { DropColumns = Names(v) }, c => c.DropColumns is not { Count: > 0 } ? null : NamesJson(c.DropColumns), Repeatable: true),
        new("layers", "--layers", "hidden widths, e.g. 50,10 (\"none\" for no hidden layer)",
            (c, v) => c with { Layers = Layers(c, v) }, c => c.Layers is null ? null : new JsonArray(c.Layers.Select(w => (JsonNode)w).ToArray())),
        new("activation", "--activation", $"hidden activation: {string.Join(", ", ActivationNames.All)}",
            (c, v) => c with { Activation = Activation(v) }, c => c.Activation?.Name()),
        new("init", "--init", $"weight init: {string.Join(", ", InitSpec.Names)}",
            (c, v) => c with { Init = InitSpec.Parse(v.Text(), v.Where) }, c => c.Init?.ToString()),
        new("biasInit", "--bias-init", "bias init: zeros, constant:c, or any weight init",
            (c, v) => c with { BiasInit = InitSpec.Parse(v.Text(), v.Where) }, c => c.BiasInit?.ToString()),
        new("optimizer", "--optimizer", $"{string.Join(", ", Choices.Optimizers.Keys)}",
            (c, v) => c with { Optimizer = Pick(v, Choices.Optimizers) }, c => c.Optimizer?.Name()),
        new("learningRate", "--lr", "learning rate (step size), > 0",
            (c, v) => c with { LearningRate = Positive(v) }, c => c.LearningRate),
        new("schedule", "--schedule", $"learning-rate schedule: {string.Join(", ", ScheduleSpec.Forms)}",
            (c, v) => c with { Schedule = ScheduleSpec.Parse(v.Text(), v.Where) }, c => c.Schedule?.ToString()),
        new("batchSize", "--batch", "samples per step (lbfgs and lm always use the whole training set)",
            (c, v) => c with { BatchSize = Count(v, 1, 10_000_000) }, c => c.BatchSize),
        new("steps", "--steps", "optimizer steps (iterations for lbfgs and lm)",
            (c, v) => c with { Steps = Steps(c, v) }, c => c.Steps),
        new("sampler", "--sampler", $"training inputs: {string.Join(", ", Choices.Samplers.Keys)}",
            (c, v) => c with { Sampler = Pick(v, Choices.Samplers) }, c => c.Sampler?.Name()),
        new("samples", "--samples", "size of the fixed training set (samplers other than fresh-uniform)",
            (c, v) => c with { Samples = Count(v, 1, 10_000_000) }, c => c.Samples),
        new("normalize", "--normalize", "normalise none, inputs, targets, both, or auto (what is far from unit scale)",
            (c, v) => c with { Normalize = Pick(v, Choices.Normalizations) }, c => c.Normalize?.Name()),
        new("normalizer", "--normalizer", "how: standardize (mean 0, std 1), min-max (range onto [-1, 1]), or auto (min-max inputs, standardized targets)",
            (c, v) => c with { Normalizer = Pick(v, Choices.Normalizers) }, c => c.Normalizer?.Name()),
        new("dropout", "--dropout", "probability of dropping a hidden unit during training, in [0, 1)",
            (c, v) => c with { Dropout = Fraction(v, 0, 0.95) }, c => c.Dropout),
        new("weightDecay", "--weight-decay", "L2 penalty (decoupled for adamw), ≥ 0",
            (c, v) => c with { WeightDecay = NonNegative(v) }, c => c.WeightDecay),
        new("clipNorm", "--clip-norm", "clip the gradient's norm to this value, > 0",
            (c, v) => c with { ClipNorm = Positive(v) }, c => c.ClipNorm),
        new("regularization", "--regularization", "none, or bayesian: lm re-estimates its weight penalty from the evidence (MacKay), as MATLAB's trainbr",
            (c, v) => c with { Regularization = Pick(v, Choices.Regularizations) }, c => c.Regularization?.Name()),
        new("objective", "--objective", "what training minimises: mse (the mean squared error) or minimax (the largest error, by Lawson's reweighted least squares on lm)",
            (c, v) => c with { Objective = Pick(v, Choices.Objectives) }, c => c.Objective?.Name()),
        new("validationFraction", "--validation", "share of the training data held out for validation, in [0, 0.9]",
            (c, v) => c with { ValidationFraction = Fraction(v, 0, 0.9) }, c => c.ValidationFraction),
        new("earlyStopping", "--patience", "validation checks without improvement before stopping; the best weights are restored (a check every lbfgs/lm iteration, else every steps/200 steps)",
            (c, v) => c with { EarlyStopping = Count(v, 1, 1_000_000) }, c => c.EarlyStopping),
        new("subsample", "--subsample", "rows of a data file lbfgs trains on first, at random, before every row from there (0: every row from the start; NeuralFit sets it for more rows than an iteration can afford)",
            (c, v) => c with { Subsample = Count(v, 0, int.MaxValue) }, c => c.Subsample),
        new("precision", "--precision", "float32 or float64",
            (c, v) => c with { Precision = Pick(v, Choices.Precisions) }, c => c.Precision?.Name()),
        new("seed", "--seed", "random seed; the same seed gives the same run",
            (c, v) => c with { Seed = (ulong)v.Integer(0, 1L << 53) }, c => c.Seed),
        new("displayStep", "--display-step", "print a progress line every N steps (0: none)",
            (c, v) => c with { DisplayStep = Count(v, 0, int.MaxValue) }, c => c.DisplayStep),
        new("testFraction", "--test", "with data: share held out as a test set, in [0, 0.9]",
            (c, v) => c with { TestFraction = Fraction(v, 0, 0.9) }, c => c.TestFraction),
        new("evalDomain", "--eval-domain", "evaluation range lo:hi (default: the domain); repeat per input",
            (c, v) => c with { EvalDomain = Intervals(v) }, c => c.EvalDomain is null ? null : IntervalsJson(c.EvalDomain), Repeatable: true),
        new("evalPoints", "--eval-points", "points of the evaluation grid, spread evenly over all inputs",
            (c, v) => c with { EvalPoints = Count(v, 2, 10_000_000) }, c => c.EvalPoints),
        new("lossGoal", "--loss-goal", "stop training once the training loss (MSE in the network's normalised units) is at most this",
            (c, v) => c with { LossGoal = Positive(v) }, c => c.LossGoal),
        new("goalMse", "--goal-mse", "required grid MSE: exit code 1 when the fit does not reach it",
            (c, v) => c with { GoalMse = Positive(v) }, c => c.GoalMse),
        new("goalMaxError", "--goal-max-error", "required max abs error on the grid: exit code 1 when not reached",
            (c, v) => c with { GoalMaxError = Positive(v) }, c => c.GoalMaxError),
        new("checkpoint", "--checkpoint", "folder that keeps the latest checkpoint, written atomically; continue with --resume",
            (c, v) => c with { Checkpoint = NonEmpty(v) }, c => c.Checkpoint),
        new("checkpointEvery", "--checkpoint-every", $"write a checkpoint every N steps (default {DefaultCheckpointEvery})",
            (c, v) => c with { CheckpointEvery = Count(v, 1, int.MaxValue) }, c => c.CheckpointEvery),
        new("onDivergence", "--on-divergence", "when the loss or the weights blow up: stop (keep the best model) or rollback (restore the last good state, halve the learning rate, go on)",
            (c, v) => c with { OnDivergence = Pick(v, DivergencePolicies.Table) }, c => c.OnDivergence?.Name()),
        new("maxSeconds", "--max-seconds", "stop training cleanly after this many seconds; the model so far is kept",
            (c, v) => c with { MaxSeconds = Positive(v) }, c => c.MaxSeconds),
        new("folds", "--folds", "with data: choose the network's size and regularisation, and whether it beats the linear baseline, by K-fold cross-validation, K in 2..20 (default: 5 folds up to 2000 rows, else the validation rows)",
            (c, v) => c with { Folds = Count(v, 2, 20) }, c => c.Folds),
        new("maxMemory", "--max-memory", "refuse a run estimated to need more memory than this (e.g. 2GB), and stop one that grows past it",
            (c, v) => c with { MaxMemory = ByteSize.Parse(v.Text(), v.Error) }, c => c.MaxMemory),
    ];

    /// <summary>Steps between checkpoints when a folder is given without --checkpoint-every.</summary>
    public const int DefaultCheckpointEvery = 1000;

    public static readonly IReadOnlyDictionary<string, Setting> ByKey = All.ToDictionary(s => s.Key);

    static string NonEmpty(ConfigValue v)
    {
        var t = v.Text();
        return string.IsNullOrWhiteSpace(t) ? throw v.Error("must not be empty") : t;
    }

    static double Positive(ConfigValue v)
    {
        double x = v.Number();
        return x > 0 ? x : throw v.Error($"must be > 0, got {x}");
    }

    static double NonNegative(ConfigValue v)
    {
        double x = v.Number();
        return x >= 0 ? x : throw v.Error($"must be ≥ 0, got {x}");
    }

    static double Fraction(ConfigValue v, double lo, double hi)
    {
        double x = v.Number();
        return x >= lo && x <= hi ? x : throw v.Error($"must be between {lo} and {hi}, got {x}");
    }

    static int Count(ConfigValue v, int lo, int hi) => (int)v.Integer(lo, hi);

    const int MaxSteps = 1_000_000_000, MaxWidth = 1_000_000;

    /// <summary>Absurd counts are refused with what they would cost, estimated from the settings read so far.</summary>
    static int Steps(FitOptions c, ConfigValue v)
    {
        double x = v.WholeNumber();
        if (x > MaxSteps)
            throw v.Error($"must be at most {MaxSteps:N0}, got {ConfigValue.ShowCount(x)}: that many steps would train for about " +
                          $"{ResourceEstimate.Duration(ResourceEstimate.For(RunConfig.From(c), steps: x).Seconds)} (an estimate)");
        return Count(v, 0, MaxSteps);
    }

    static IReadOnlyList<int> Layers(FitOptions c, ConfigValue v)
    {
        if (v is FlagValue && v.Text() is "none" or "") return [];
        var items = v.Items();
        if (items.Count > 64) throw v.Error($"at most 64 hidden layers, got {items.Count}");
        var widths = items.Select(i => i.Number() < 1 ? throw i.Error($"every layer needs at least one unit, got {i.Text()}") : i.WholeNumber()).ToArray();
        for (int l = 0; l < widths.Length; l++)
            if (widths[l] > MaxWidth)
                throw items[l].Error($"must be at most {MaxWidth:N0} units, got {ConfigValue.ShowCount(widths[l])}: that network would need about " +
                                     $"{ByteSize.Format(ResourceEstimate.For(RunConfig.From(c), layers: widths).Bytes)} of memory (an estimate)");
        return widths.Select(w => (int)w).ToArray();
    }

    static IReadOnlyList<Interval> Intervals(ConfigValue v)
    {
        var items = v is JsonConfigValue { Element.ValueKind: System.Text.Json.JsonValueKind.String } ? [v] : v.Items();
        if (items.Count == 0) throw v.Error("needs at least one range lo:hi");
        if (items.Count > 16) throw v.Error($"at most 16 inputs, got {items.Count}");
        return items.Select(i => Interval.Parse(i.Text(), i.Where)).ToArray();
    }

    static IReadOnlyList<string> Names(ConfigValue v, bool split = true)
    {
        var items = v is JsonConfigValue { Element.ValueKind: System.Text.Json.JsonValueKind.String } ? [v]
            : !split && v is FlagValue flag ? flag.Texts.Select(t => (ConfigValue)new FlagValue(v.Where, [t])).ToList()
            : v.Items();
        if (items.Count == 0) throw v.Error("needs at least one column name");
        var names = items.Select(i => NonEmpty(i).Trim()).ToArray();
        var repeated = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        return repeated is null ? names : throw v.Error($"names the column '{repeated.Key}' twice");
    }

    /// <summary>One expression, or several (a repeated flag, a JSON list): never split at commas, which expressions
    /// hold (min(x, 1)).</summary>
    static FitOptions Targets(FitOptions c, ConfigValue v)
    {
        var items = v switch
        {
            JsonConfigValue { Element.ValueKind: System.Text.Json.JsonValueKind.Array } => v.Items(),
            FlagValue flag => flag.Texts.Select(t => (ConfigValue)new FlagValue(v.Where, [t])).ToList(),
            _ => [v],
        };
        if (items.Count == 0) throw v.Error("needs at least one expression");
        var texts = items.Select(NonEmpty).ToArray();
        return c with { Target = texts[0], Targets = texts.Length > 1 ? texts : null };
    }

    /// <summary>One target column (<c>targetColumn</c>), or several (<c>targetColumns</c>, --y repeated); one column
    /// is kept as <c>targetColumn</c>, so a one-output configuration reads and writes as it always has.</summary>
    static FitOptions TargetColumns(FitOptions c, ConfigValue v)
    {
        var names = Names(v is FlagValue flag ? new FlagValue(v.Where, flag.Texts) : v, split: false);
        return names.Count == 1 ? c with { TargetColumn = names[0], TargetColumns = null } : c with { TargetColumn = null, TargetColumns = names };
    }

    static JsonNode NamesJson(IReadOnlyList<string> names) => new JsonArray(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());

    static JsonNode IntervalsJson(IReadOnlyList<Interval> d) =>
        d.Count == 1 ? JsonValue.Create(d[0].ToString()) : new JsonArray(d.Select(i => (JsonNode)JsonValue.Create(i.ToString())).ToArray());

    static Activation Activation(ConfigValue v)
    {
        var t = v.Text();
        return ActivationNames.TryParse(t, out var a) ? a
            : throw v.Error($"unknown activation '{t}'{Suggestions.Nearest(t, ActivationNames.All)}; use one of {string.Join(", ", ActivationNames.All)}");
    }

    static TEnum Pick<TEnum>(ConfigValue v, IReadOnlyDictionary<string, TEnum> table)
    {
        var t = v.Text();
        return table.TryGetValue(t, out var e) ? e
            : throw v.Error($"unknown value '{t}'{Suggestions.Nearest(t, table.Keys)}; use one of {string.Join(", ", table.Keys)}");
    }
}
