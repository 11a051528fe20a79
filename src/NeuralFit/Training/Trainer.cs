using System.Numerics;

namespace NeuralFit.Training;

/// <summary>The training loop for step optimizers. Everything optional happens in the observers.</summary>
internal static class Trainer
{
    public static void Train<T>(TrainingSession<T> s, IReadOnlyList<ITrainingObserver<T>> observers, CancellationToken cancel = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var o in observers) o.OnStart(s);
        while (s.Step < s.TotalSteps && s.StopReason is null)
        {
            if (cancel.IsCancellationRequested) { s.RequestStop(StopReason.Cancelled); break; }
            int n = s.Batches.Next(s.Workspace.Batch);
            double loss = s.LossAndGradient(n);
            s.ClipGradient();
            s.Optimizer.Step(s.Network.Parameters, s.Gradient, s.Schedule.Rate(s.Step + 1));
            s.Step++;
            foreach (var o in observers) o.AfterStep(s, loss);
        }
        s.StopReason ??= StopReason.Completed;
        foreach (var o in observers) o.OnEnd(s);
    }
}
