using System.Numerics;
using NeuralFit.Training.Optimizers;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// What a <see cref="TrainingSession{T}"/> holds in its optimizer slot when a whole-batch solver trains it, so
/// observers (history, probes, checkpoints) see the same session type for every run. It takes no gradient steps:
/// <see cref="WholeBatchTrainer"/> calls the solver, and <see cref="Step"/> throws if <see cref="Trainer"/> is
/// handed such a session by mistake.
/// </summary>
public sealed class WholeBatchSolverSlot<T>(IWholeBatchSolver solver) : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public IWholeBatchSolver Solver => solver;

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate) =>
        throw new InvalidOperationException("this session is trained by a whole-batch solver through WholeBatchTrainer, not by gradient steps");

    /// <summary>The solver's iterations.</summary>
    public long StepCount => solver.Iterations;

    /// <summary>Solver state is not exposed as vectors (an L-BFGS history, a damping factor).</summary>
    public IReadOnlyList<T[]> StateVectors => [];

    public void RestoreStepCount(long steps) { }
}
