using System.Numerics;

namespace NeuralFit.Training;

/// <summary>
/// A collaborator of the training loop: history, display lines, probes, early stopping, checkpoints. Called after
/// every step; may ask the loop to stop through <see cref="TrainingSession{T}.RequestStop"/>.
/// </summary>
public interface ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void OnStart(TrainingSession<T> session) { }

    /// <param name="loss">The batch loss measured in this step, before its update.</param>
    void AfterStep(TrainingSession<T> session, double loss);

    void OnEnd(TrainingSession<T> session) { }
}
