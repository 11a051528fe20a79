using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Fitting;

/// <summary>Everything a run produced: the model, how good it is, how training went.</summary>
public sealed record FitResult
{
    /// <summary>The effective configuration, after defaults.</summary>
    internal RunConfig Config { get; init; } = null!;

    /// <summary>The options the fit ran with, every choice NeuralFit made filled in: given back as options (with the
    /// same arrays, for a fit of arrays, whose rows are no option), they rerun the same fit.</summary>
    public FitOptions EffectiveOptions => Config.Rows is null ? Config.ToOptions()
        : Config.ToOptions() with { Data = null, Domain = null, BaseDirectory = null };

    internal FittedModel Model { get; init; } = null!;
    public required int Steps { get; init; }
    public required double WallSeconds { get; init; }

    /// <summary>The step training started from: 0, or the checkpoint's step for a resumed run.</summary>
    public int StartStep { get; init; }

    /// <summary>Steps trained by this run (not those before a resume) per second of its wall time.</summary>
    public double StepsPerSecond => WallSeconds > 0 ? (Steps - StartStep) / WallSeconds : 0;
    public required Evaluation.Evaluation Evaluation { get; init; }
    public required IReadOnlyList<HistoryPoint> History { get; init; }
    public required StopReason StopReason { get; init; }
    public string? StopDetail { get; init; }

    /// <summary>For a 1-D target: a Chebyshev interpolant with as many coefficients as the network has parameters, on the same evaluation grid.</summary>
    internal ReferenceFit? Reference { get; init; }

    /// <summary>Things the user should know that are not findings, e.g. training points left out.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>A data fit's linear baseline (ridge regression), measured on the same rows as the network.</summary>
    public Baseline? Baseline { get; init; }

    /// <summary>True when no network beat the baseline on held-out rows and the model is the baseline itself.</summary>
    public bool UsesBaseline { get; init; }

    /// <summary>The held-out comparison the choice between network and baseline was made on (null when none was made).</summary>
    public bool? NetworkBeatsBaseline { get; init; }

    /// <summary>A data file's noise, measured on its training rows by no model's fit
    /// (<see cref="Evaluation.NoiseLevel.Local"/>): the held-out MSE no model can be expected to beat, and whether
    /// the line has reached it. Null for an expression, a run of several outputs, or too few rows.</summary>
    internal Evaluation.LocalNoise? Noise { get; init; }

    /// <summary>
    /// A data fit whose model has learnt more than chance on held-out rows (<see cref="Verdict.LearntSomething"/>) and
    /// whose error there is down to the data's noise (<see cref="Evaluation.LocalNoise.Reached"/>): as good a fit as
    /// the data allow. The one judgement of "at the noise" that the verdict and the diagnosis both make; false for an
    /// expression, a run of several outputs, or too few rows to measure the noise.
    /// </summary>
    internal bool AtNoiseFloor => Noise is { } noise && Verdict.LearntSomething(Evaluation) && noise.Reached(Evaluation, UsesBaseline);

    /// <summary>A data fit's model measured on each split: training, validation (when held out), test.</summary>
    public IReadOnlyDictionary<string, Evaluation.Evaluation>? Splits { get; init; }

    /// <summary>The stages of a fit that grew or chose among candidates, in order; empty for a single run.</summary>
    public IReadOnlyList<Stage> Stages { get; init; } = [];

    /// <summary>Whether the fit met its goal (the requested one, else NeuralFit's default), and what to run next when not.</summary>
    public Verdict Verdict => Verdict.For(this);

    /// <summary>The fitted model as its file holds it (<see cref="ModelFile"/>): the model, its inputs' names, the target
    /// and domain, and a summary of the training.</summary>
    internal SavedModel ToSavedModel() => new()
    {
        Model = Model,
        InputNames = Model.InputNames, // x, x1..xn, or a data file's column names
        Target = Config.Target,
        Targets = Config.Targets,
        Domain = Config.Domain,
        Training = new TrainingSummary
        {
            Steps = Steps,
            WallSeconds = WallSeconds,
            StopReason = StopReason.Name(),
            FinalLoss = History.Count > 0 && double.IsFinite(History[^1].Loss) ? History[^1].Loss : null,
            EvaluationDomain = Evaluation.Domain,
            EvaluationPoints = Evaluation.Points,
            Mse = Finite(Evaluation.Mse),
            MaxAbsError = Finite(Evaluation.MaxAbsError),
            R2 = Finite(Evaluation.R2),
            Config = ConfigReader.ToJson(Config),
            SavedAt = DateTimeOffset.UtcNow,
        },
    };

    static double? Finite(double v) => double.IsFinite(v) ? v : null;

    /// <summary>True when a goal was requested (goalMse, goalMaxError) and the fit missed it.</summary>
    public bool MissedGoal =>
        (Config.GoalMse is double mse && !(Evaluation.Mse <= mse)) ||
        (Config.GoalMaxError is double max && !(Evaluation.MaxAbsError <= max));
}
