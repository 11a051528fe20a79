using System.Globalization;
using System.Numerics;

namespace NeuralFit.Training.Observers;

/// <summary>Stops training once the training loss reaches a goal, as MATLAB's train does with its goal parameter.</summary>
internal sealed class LossGoal<T>(double goal) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public void AfterStep(IRunState<T> s, double loss)
    {
        if (loss <= goal)
            s.RequestStop(StopReason.Converged, string.Create(CultureInfo.InvariantCulture, $"the training loss reached the goal {goal:G3}").Replace('E', 'e')); // as the terminal writes numbers: 1e-10
    }
}
