using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Training;

/// <summary>
/// What an observer of a run sees, whichever loop runs it (<see cref="TrainingSession{T}"/> for step optimizers,
/// <see cref="SolverSession{T}"/> for whole-batch solvers): the network, where the run is, and why it stopped, and
/// the one thing it may do, ask the run to stop.
/// </summary>
internal interface IRunState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    Mlp<T> Network { get; }

    /// <summary>Steps (or solver iterations) done so far.</summary>
    int Step { get; }

    int TotalSteps { get; }

    /// <summary>Why training stopped, once it has; a divergence found at the very end may overrule the loop's own reason.</summary>
    StopReason? StopReason { get; set; }
    string? StopDetail { get; }

    /// <summary>The first request wins: a later observer cannot overwrite why training stopped.</summary>
    void RequestStop(StopReason reason, string? detail = null);
}

/// <summary>
/// A run whose state can be copied and put back: by divergence rollbacks (<see cref="SessionSnapshot{T}"/>) and
/// checkpoints. Besides the parameters, that is what its steps change: a step optimizer's state vectors, step count
/// and schedule; a solver's state, held here as vectors in the parameters' layout.
/// </summary>
internal interface IRestorableRun<T> : IRunState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Steps done so far; a checkpoint sets it when a run resumes.</summary>
    new int Step { get; set; }

    /// <summary>Vectors of the parameters' length holding the state steps change besides the parameters.</summary>
    IReadOnlyList<T[]> StateVectors { get; }

    /// <summary>The optimizer's own step count, or the solver's iterations.</summary>
    long StateSteps { get; }

    /// <summary><see cref="StateVectors"/> were written back (and the count was <paramref name="steps"/>): take them up.</summary>
    void StateRestored(long steps);

    /// <summary>The learning-rate schedule, for a run that has one (a solver chooses its own steps).</summary>
    Schedule? Schedule { get; }

    /// <summary>After a rollback: every later learning rate is multiplied by <paramref name="factor"/> (nothing for a solver).</summary>
    void ScaleLearningRate(double factor);
}
