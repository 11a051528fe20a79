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
/// <see cref="Sync"/> after every iteration, so snapshots (divergence rollbacks, probes) copy them like any
/// optimizer's. Whoever writes them back calls <see cref="RestoreStepCount"/> afterwards, as for every optimizer;
/// that hands the state to the solver. In a float32 run those vectors hold float32, so checkpoints take
/// <see cref="ExactState"/> instead: the solver's state and <see cref="Theta"/> in float64, so that a float32 run
/// resumes to the same bits.
/// </summary>
public sealed class WholeBatchSolverSlot<T> : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly IWholeBatchSolver _solver;
    readonly T[][] _vectors;
    readonly double[][] _scratch;

    /// <param name="parameters">The network's parameters, which the solver trains.</param>
    public WholeBatchSolverSlot(IWholeBatchSolver solver, T[] parameters)
    {
        _solver = solver;
        _vectors = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new T[parameters.Length]).ToArray();
        _scratch = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new double[parameters.Length]).ToArray();
        Theta = parameters as double[] ?? parameters.Select(double.CreateChecked).ToArray();
        Sync();
    }

    public IWholeBatchSolver Solver => _solver;

    /// <summary>
    /// The float64 parameters the solver works on: the network's own array in a float64 run; in a float32 run a copy
    /// that keeps the digits float32 cannot hold (<see cref="WholeBatchTrainer"/> reconciles it with the network).
    /// </summary>
    public double[] Theta { get; }

    /// <summary>The solver's state vectors, then <see cref="Theta"/>: copies, in float64.</summary>
    public IReadOnlyList<double[]> ExactState => [.. _scratch.Select(v => (double[])v.Clone()), (double[])Theta.Clone()];

    public int ExactStateCount => _scratch.Length + 1;

    /// <summary>Puts back what <see cref="ExactState"/> gave, and hands the state to the solver.</summary>
    public void RestoreExactState(IReadOnlyList<double[]> vectors)
    {
        if (vectors.Count != ExactStateCount) throw new ArgumentException($"expected {ExactStateCount} vectors", nameof(vectors));
        for (int v = 0; v < _scratch.Length; v++) vectors[v].CopyTo(_scratch[v], 0);
        vectors[^1].CopyTo(Theta, 0);
        _solver.LoadState(_scratch);
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _vectors[v][i] = T.CreateChecked(_scratch[v][i]);
    }

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
