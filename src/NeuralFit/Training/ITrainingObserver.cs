using System.Numerics;

namespace NeuralFit.Training;

/// <summary>
/// A collaborator of the training loop: history, display lines, probes, early stopping, checkpoints. Called after
/// every step with the run's <see cref="IRunState{T}"/> (the same for step optimizers and whole-batch solvers); may
/// ask the loop to stop through <see cref="IRunState{T}.RequestStop"/>.
/// </summary>
internal interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void OnStart(IRunState<T> run) { }

    /// <param name="loss">The batch loss measured in this step, before its update.</param>
    void AfterStep(IRunState<T> run, double loss);

    void OnEnd(IRunState<T> run) { }
}
