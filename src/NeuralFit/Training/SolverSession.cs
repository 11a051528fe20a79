using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Training.Schedules;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Training;

/// <summary>
/// The state of one whole-batch run (L-BFGS, Levenberg–Marquardt): the network, the solver bound to the training
/// set, the float64 parameters it works on and the iteration count. <see cref="WholeBatchTrainer"/> runs it; the
/// observers see the same <see cref="IRunState{T}"/> as a step optimizer's run (history, probes, divergence,
/// validation, checkpoints).
///
/// Its <see cref="StateVectors"/> mirror the solver's state (<see cref="IWholeBatchSolver.SaveState"/>) in T,
/// refreshed by <see cref="Sync"/> after every iteration, so rollback snapshots copy them as they copy an optimizer's;
/// whoever writes them back calls <see cref="StateRestored"/>, which hands them to the solver. In a float32 run those
/// vectors hold float32, so checkpoints take <see cref="ExactState"/> instead: the solver's state and
/// <see cref="Theta"/> in float64, so that a float32 run resumes to the same bits.
/// </summary>
internal sealed class SolverSession<T> : IRestorableRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[][] _vectors;
    readonly double[][] _scratch;

    public SolverSession(Mlp<T> network, IWholeBatchSolver solver, int totalSteps, NetworkData data)
    {
        Network = network;
        Solver = solver;
        TotalSteps = totalSteps;
        Data = data;
        var parameters = network.Parameters;
        _vectors = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new T[parameters.Length]).ToArray();
        _scratch = Enumerable.Range(0, solver.StateVectorCount).Select(_ => new double[parameters.Length]).ToArray();
        Theta = parameters as double[] ?? parameters.Select(double.CreateChecked).ToArray();
        Sync();
    }

    public Mlp<T> Network { get; }
    public IWholeBatchSolver Solver { get; }

    /// <summary>The training set the solver evaluates the float64 network on, block by block.</summary>
    public NetworkData Data { get; }

    /// <summary>The kernel plan of the float64 network the solver evaluates, block by block.</summary>
    public KernelPlan<double> Plan => Data.Plan;

    /// <summary>Cores the solver's passes over the training set may use; the numbers are the same for any value.</summary>
    public int Threads
    {
        get => Data.Threads;
        set => Data.Threads = Math.Max(1, value);
    }

    public int TotalSteps { get; set; }

    /// <summary>Solver iterations done so far.</summary>
    public int Step { get; set; }

    public StopReason? StopReason { get; set; }
    public string? StopDetail { get; private set; }

    public void RequestStop(StopReason reason, string? detail = null)
    {
        if (StopReason is not null) return;
        StopReason = reason;
        StopDetail = detail;
    }

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
        Solver.LoadState(_scratch);
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _vectors[v][i] = T.CreateChecked(_scratch[v][i]);
    }

    public IReadOnlyList<T[]> StateVectors => _vectors;

    /// <summary>The solver's iterations.</summary>
    public long StateSteps => Solver.Iterations;

    /// <summary>The vectors were written back: the solver takes its state from them.</summary>
    public void StateRestored(long steps)
    {
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _scratch[v][i] = double.CreateChecked(_vectors[v][i]);
        Solver.LoadState(_scratch);
    }

    /// <summary>None: a solver chooses its own steps.</summary>
    public Schedule? Schedule => null;

    /// <summary>Nothing to scale: the solver's next iteration chooses its own step from the state it was given back.</summary>
    public void ScaleLearningRate(double factor) { }

    /// <summary>Copies the solver's state into <see cref="StateVectors"/>.</summary>
    public void Sync()
    {
        Solver.SaveState(_scratch);
        for (int v = 0; v < _vectors.Length; v++)
            for (int i = 0; i < _vectors[v].Length; i++) _vectors[v][i] = T.CreateChecked(_scratch[v][i]);
    }
}
