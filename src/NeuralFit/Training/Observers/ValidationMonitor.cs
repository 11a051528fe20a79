using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Training.Observers;

/// <summary>
/// Measures the loss on the validation set every <c>every</c> steps (in the network's units, like the training
/// loss) and remembers the weights where it was lowest. With a patience, it is early stopping as MATLAB's train
/// does it (max_fail): training stops after that many checks without a new lowest validation loss, and at the end
/// the weights of the lowest one are put back, whether training stopped early or ran to its last step.
/// </summary>
internal sealed class ValidationMonitor<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    const int Chunk = 1024;
    readonly SampleSet _set;
    readonly Normalization _normalization;
    readonly int _every;
    readonly int? _patience;
    Workspace<T> _ws = null!;
    T[] _best = [];
    int _sinceBest, _lastCheck = -1;
    bool _restored;

    public ValidationMonitor(SampleSet validation, Normalization normalization, int every, int? patience)
    {
        if (validation.Count == 0) throw new ArgumentException("the validation set is empty", nameof(validation));
        (_set, _normalization, _every, _patience) = (validation, normalization, Math.Max(1, every), patience);
    }

    /// <summary>The validation loss at the latest check (NaN before the first).</summary>
    public double LastLoss { get; private set; } = double.NaN;
    public double BestLoss { get; private set; } = double.PositiveInfinity;
    public int BestStep { get; private set; }

    /// <summary>True when the weights of <see cref="BestStep"/> replaced the last ones at the end.</summary>
    public bool Restored { get; private set; }

    public void OnStart(IRunState<T> s)
    {
        _ws = new Workspace<T>(s.Network.Shape, Math.Min(Chunk, _set.Count));
        if (_restored) return; // a resumed run goes on from the checkpoint's checks
        _best = (T[])s.Network.Parameters.Clone();
        Check(s);
    }

    /// <summary>What a checkpoint keeps: the latest and lowest losses, where the lowest was, checks since, the
    /// step of the latest check, and the weights of the lowest.</summary>
    public (double LastLoss, double BestLoss, int BestStep, int SinceBest, int LastCheck, T[] Best) State =>
        (LastLoss, BestLoss, BestStep, _sinceBest, _lastCheck, _best);

    /// <summary>Puts a checkpoint's state back, before training resumes.</summary>
    public void Restore(double lastLoss, double bestLoss, int bestStep, int sinceBest, int lastCheck, T[] best)
    {
        (LastLoss, BestLoss, BestStep, _sinceBest, _lastCheck, _best) = (lastLoss, bestLoss, bestStep, sinceBest, lastCheck, best);
        _restored = true;
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (s.Step % _every != 0 && s.Step != s.TotalSteps) return;
        Check(s);
        if (_patience is int patience && _sinceBest >= patience)
            s.RequestStop(StopReason.EarlyStopped,
                $"the validation loss has not improved for {patience} checks; the weights of step {BestStep} (validation loss {BestLoss:g4}) were kept");
    }

    public void OnEnd(IRunState<T> s)
    {
        if (_lastCheck != s.Step) Check(s);
        if (_patience is null || BestStep == s.Step || !double.IsFinite(BestLoss)) return;
        _best.CopyTo(s.Network.Parameters, 0);
        Restored = true;
    }

    void Check(IRunState<T> s)
    {
        double loss = Measure(s.Network);
        _lastCheck = s.Step;
        LastLoss = loss;
        if (loss < BestLoss)
        {
            (BestLoss, BestStep, _sinceBest) = (loss, s.Step, 0);
            s.Network.Parameters.CopyTo(_best, 0);
        }
        else _sinceBest++;
    }

    /// <summary>Mean squared error over the validation set (and its outputs), in the network's units.</summary>
    public double Measure(Mlp<T> network)
    {
        double sum = 0;
        int d = _set.Inputs, outputs = _set.Outputs;
        ReadOnlySpan<double> x = _set.X.Span, y = _set.Y.Span;
        for (int start = 0; start < _set.Count; start += _ws.Capacity)
        {
            int n = Math.Min(_ws.Capacity, _set.Count - start);
            for (int i = 0; i < n; i++)
                for (int k = 0; k < d; k++)
                    _ws.Input[k * n + i] = T.CreateChecked(_normalization.Inputs[k].Forward(x[(start + i) * d + k]));
            network.Forward(_ws, n);
            for (int o = 0; o < outputs; o++)
                for (int i = 0; i < n; i++)
                {
                    double r = double.CreateChecked(_ws.Output[o * n + i]) - _normalization.Targets[o].Forward(y[(start + i) * outputs + o]);
                    sum += r * r;
                }
        }
        double mse = sum / ((double)_set.Count * outputs);
        return double.IsNaN(mse) ? double.PositiveInfinity : mse;
    }
}
