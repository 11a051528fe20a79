using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Fitting;

/// <summary>Everything an extension of a run may look at, and the observer list it may add to.</summary>
/// <param name="Session">The run as observers see it: a step optimizer's session (<see cref="Steps"/>) or a solver's (<see cref="Solver"/>).</param>
internal sealed record RunContext<T>(RunConfig Config, Problem Problem, IRestorableRun<T> Session, FittedModel<T> Model,
    List<ITrainingObserver<T>> Observers) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The session, when a step optimizer trains the run.</summary>
    public TrainingSession<T>? Steps { get; init; }

    /// <summary>The session, when a whole-batch solver trains the run.</summary>
    public SolverSession<T>? Solver { get; init; }

    /// <summary>The observers whose state a checkpoint keeps.</summary>
    public required HistoryRecorder<T> History { get; init; }
    public required DivergenceGuard<T> Divergence { get; init; }
    public required BestModelKeeper<T> Best { get; init; }

    /// <summary>The validation checks (and early stopping), when the run has a validation set.</summary>
    public ValidationMonitor<T>? Validation { get; init; }
}

/// <summary>Adds behaviour to a run (probes, checkpoints) without the run knowing about it.</summary>
internal interface IRunExtension
{
    void Attach<T>(RunContext<T> context) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>What the caller wants to hear about while a run trains.</summary>
public sealed record FitHooks
{
    public Action<DisplayLine>? Display { get; init; }
    public Action<TrainingProgress>? Progress { get; init; }
    internal IReadOnlyList<IRunExtension> Extensions { get; init; } = [];

    /// <summary>Whether a fit that misses its goal may grow in stages (<c>Growth</c>): null lets the caller's kind decide
    /// (a fit grows; a diagnosis, which traces one run from its initialisation, and the doctor's replays do not).</summary>
    internal bool? Grow { get; init; }
}
