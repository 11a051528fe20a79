using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;

namespace NeuralFit.Training.Observers;

/// <summary>A progress line in the ln(x) question's style: one random x, its target, the prediction, the squared loss.</summary>
public sealed record DisplayLine(int Step, double[] X, double Target, double Prediction, double SquaredLoss, double BatchLoss);

/// <summary>Emits a <see cref="DisplayLine"/> before training and every <c>every</c> steps, at a point that
/// <paramref name="point"/> picks with the display's own random stream.</summary>
internal sealed class DisplayObserver<T>(int every, Func<Rng, (double[] X, double Y)> point, FittedModel<T> model, Rng rng,
    Action<DisplayLine> sink)
    : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    double _firstLoss = double.NaN;

    /// <summary>The display's random stream and the first batch loss, for checkpoints: a resumed run shows the same lines.</summary>
    public (ulong[] Rng, double FirstLoss) State => (rng.GetState(), _firstLoss);

    public void Restore((ulong[] Rng, double FirstLoss) state)
    {
        rng.SetState(state.Rng);
        _firstLoss = state.FirstLoss;
    }

    public void OnStart(IRunState<T> s)
    {
        if (s.Step == 0) Emit(0, double.NaN);
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (s.Step == 1) _firstLoss = loss;
        if (s.Step % every == 0) Emit(s.Step, loss);
    }

    void Emit(int step, double batchLoss)
    {
        var (x, y) = point(rng);
        double p = model.PredictPoint(x);
        sink(new DisplayLine(step, x, y, p, (p - y) * (p - y), step == 0 ? _firstLoss : batchLoss));
    }
}
