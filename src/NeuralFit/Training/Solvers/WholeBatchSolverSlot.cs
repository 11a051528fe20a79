using System.Numerics;
using NeuralFit.Training.Optimizers;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// What a <see cref="TrainingSession{T}"/> holds in its optimizer slot when a whole-batch solver trains it, so
/// observers (history, probes, divergence rollbacks, checkpoints) see the same session type for every run. It takes
/// no gradient steps: <see cref="WholeBatchTrainer"/> calls the solver, and <see cref="Step"/> throws if
/// <see cref="Trainer"/> is handed such a session by mistake.
///
/// Its <see cref="StateVectors"/> mirror the solver's state (<see cref="IWholeBatchSolver.SaveState"/>), refreshed by
/// <see cref="Sync"/> after every iteration, so checkpoints and snapshots copy them like any optimizer's. Whoever
/// writes them back calls <see cref="RestoreStepCount"/> afterwards, as for every optimizer; that hands the state to
/// the solver. In a float32 run the vectors hold float32, so a resumed float32 run may differ in the last digits.
/// </summary>
public sealed class WholeBatchSolverSlot<T> : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly IWholeBatchSolver _solver;
    readonly T[][] _vectors;
    readonly double[][] _scratch;

    public WholeBatchSolverSlot(IWholeBatchSolver solver, int parameterCount)
    {
        _solver = solver;
        _vectors = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new T[parameterCount]).ToArray();
        _scratch = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new double[parameterCount]).ToArray();
        Sync();
    }

    public IWholeBatchSolver Solver => _solver;

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate) =>
        throw new InvalidOperationException("this session is trained by a whole-batch solver through WholeBatchTrainer, not by gradient steps");

    /// <summary>The solver's iterations.</summary>
    public long StepCount => _solver.Iterations;

    public IReadOnlyList<T[]> StateVectors => _vectors;

    /// <summary>The vectors were written back: the solver takes its state from them.</summary>
    public void RestoreStepCount(long steps)
    {
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _scratch[v][i] = double.CreateChecked(_vectors[v][i]);
        _solver.LoadState(_scratch);
    }

    /// <summary>Copies the solver's state into <see cref="StateVectors"/>.</summary>
    public void Sync()
    {
        _solver.SaveState(_scratch);
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _vectors[v][i] = T.CreateChecked(_scratch[v][i]);
    }
}
