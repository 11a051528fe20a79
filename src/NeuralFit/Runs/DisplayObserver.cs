using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;

namespace NeuralFit.Runs;

/// <summary>A progress line in the ln(x) question's style: one random x, its target, the prediction, the squared loss.</summary>
public sealed record DisplayLine(int Step, double[] X, double Target, double Prediction, double SquaredLoss, double BatchLoss);

/// <summary>Emits a <see cref="DisplayLine"/> before training and every <c>every</c> steps.</summary>
public sealed class DisplayObserver<T>(int every, Problem problem, FittedModel<T> model, Rng rng, Action<DisplayLine> sink)
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

    public void OnStart(TrainingSession<T> s)
    {
        if (s.Step == 0) Emit(0, double.NaN);
    }

    public void AfterStep(TrainingSession<T> s, double loss)
    {
        if (s.Step == 1) _firstLoss = loss;
        if (s.Step % every == 0) Emit(s.Step, loss);
    }

    void Emit(int step, double batchLoss)
    {
        var (x, y) = problem.IsDataset ? TrainingRow() : RandomPoint();
        double p = model.PredictPoint(x);
        sink(new DisplayLine(step, x, y, p, (p - y) * (p - y), step == 0 ? _firstLoss : batchLoss));
    }

    (double[] X, double Y) RandomPoint()
    {
        var x = new double[problem.InputCount];
        var y = new double[1];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            PointSets.FillUniform(problem.Domain, x, rng);
            problem.Function.Evaluate(x, y);
            if (double.IsFinite(y[0])) break;
        }
        return (x, y[0]);
    }

    /// <summary>A data file has no function to ask between its rows: show one of them.</summary>
    (double[] X, double Y) TrainingRow()
    {
        int row = rng.NextInt(problem.Training.Count);
        return (problem.Training.Row(row).ToArray(), problem.Training.Y[row]);
    }
}
