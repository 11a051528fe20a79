using System.Numerics;

namespace NeuralFit.Training;

/// <summary>
/// The training loop for whole-batch solvers (L-BFGS, Levenberg–Marquardt): one step is one solver iteration over
/// the whole training set. It drives the same observers as <see cref="Trainer"/> (history, divergence, validation
/// and early stopping, display, progress, diagnosis probes), which read the session's network after each step.
/// The solver works on a float64 copy of the parameters (<see cref="SolverSession{T}.Theta"/>); the network receives
/// them after every iteration (shared, not copied, when the run is float64).
/// </summary>
internal static class WholeBatchTrainer
{
    public static void Train<T>(SolverSession<T> s, IReadOnlyList<ITrainingObserver<T>> observers, CancellationToken cancel = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var parameters = s.Network.Parameters;
        foreach (var o in observers) o.OnStart(s); // a checkpoint may put parameters and solver state back here
        // Theta may hold float64 digits (put back by a checkpoint) that the network's parameters cannot.
        double[] theta = s.Theta;
        while (s.Step < s.TotalSteps && s.StopReason is null)
        {
            if (cancel.IsCancellationRequested) { s.RequestStop(StopReason.Cancelled); break; }
            if (!ReferenceEquals(theta, parameters)) Load(parameters, theta); // observers may have moved the network
            var step = s.Solver.Iterate(theta);
            if (!ReferenceEquals(theta, parameters)) Store(theta, parameters);
            s.Sync(); // rollback snapshots copy the solver's state from there
            s.Step++;
            foreach (var o in observers) o.AfterStep(s, step.LossBefore);
            if (step.Converged) s.RequestStop(StopReason.Converged, step.Detail);
        }
        s.StopReason ??= StopReason.Completed;
        foreach (var o in observers) o.OnEnd(s);
    }

    static void Load<T>(T[] parameters, double[] theta) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < theta.Length; i++)
        {
            double v = double.CreateChecked(parameters[i]);
            if (T.CreateChecked(theta[i]) != parameters[i]) theta[i] = v; // keep float64 digits the copy could not hold
        }
    }

    static void Store<T>(double[] theta, T[] parameters) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < theta.Length; i++) parameters[i] = T.CreateChecked(theta[i]);
    }
}
