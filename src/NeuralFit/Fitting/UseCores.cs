using System.Numerics;
using NeuralFit.Training;

namespace NeuralFit.Fitting;

/// <summary>
/// Lets a run's steps use several cores for large batches (see <see cref="DataParallel{T}"/>), and a whole-batch
/// solver's passes over the training set (<see cref="Training.Solvers.NetworkData"/>). For a single run,
/// such as `neuralfit fit`; runs that already go one per core (seed, doctor, sweep) leave it off. The numbers do
/// not change with the core count.
/// </summary>
internal sealed class UseCores(int threads) : IRunExtension
{
    public void Attach<T>(RunContext<T> context) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (context.Steps is { } steps) steps.Threads = Math.Max(1, threads);
        if (context.Solver is { } solver) solver.Threads = threads; // its passes over the training set, and lm's normal equations
    }
}
