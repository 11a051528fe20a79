using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Training;

namespace NeuralFit.Diagnostics.Probes;

/// <summary>
/// Measures the network on the probe set at the scheduled steps (<see cref="ProbeSchedule"/>), and follows every
/// ReLU-family unit to the step since which it has never been active again.
/// </summary>
internal sealed class ProbeRecorder<T> : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly ProbeSet _probes;
    readonly Normalization _normalization;
    readonly SortedSet<int> _schedule;
    readonly List<ProbeSnapshot> _snapshots = [];
    Workspace<T> _gridWs = null!, _sampleWs = null!;
    T[] _gradient = [], _previous = [], _measured = [];
    int[][] _lastActive = [];

    readonly Func<int?>? _restoredFrom;

    /// <param name="restoredFrom">The step whose weights were put back at the end, if any (early stopping's best).</param>
    public ProbeRecorder(ProbeSet probes, Normalization normalization, SortedSet<int> schedule, Func<int?>? restoredFrom = null)
    {
        (_probes, _normalization, _schedule, _restoredFrom) = (probes, normalization, schedule, restoredFrom);
    }

    public IReadOnlyList<ProbeSnapshot> Snapshots => _snapshots;

    /// <summary>Per hidden layer and unit: the probe step since which the unit was never active again, or null if it
    /// was active at the last probe. Only meaningful for ReLU-family activations.</summary>
    public int?[][] DeadSince { get; private set; } = [];

    public void OnStart(IRunState<T> s)
    {
        var shape = s.Network.Shape;
        _gridWs = new Workspace<T>(shape, _probes.DomainGrid.Count);
        _sampleWs = new Workspace<T>(shape, Math.Max(1, _probes.TrainingSample.Count));
        LoadInputs(_gridWs, _probes.DomainGrid, withTargets: false);
        LoadInputs(_sampleWs, _probes.TrainingSample, withTargets: true);
        _gradient = new T[shape.ParameterCount];
        _previous = (T[])s.Network.Parameters.Clone();
        _measured = new T[shape.ParameterCount];
        _lastActive = shape.Hidden.Select(w => Enumerable.Repeat(-1, w).ToArray()).ToArray();
        if (_schedule.Contains(s.Step)) Measure(s);
        if (_schedule.Contains(s.Step + 1)) s.Network.Parameters.CopyTo(_previous, 0);
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (_schedule.Contains(s.Step)) Measure(s);
        if (_schedule.Contains(s.Step + 1)) s.Network.Parameters.CopyTo(_previous, 0);
    }

    /// <summary>
    /// The last snapshot describes the weights the run hands over. Early stopping may have put back the weights of its
    /// best validation check after the last probe (the validation monitor ends before the probes): then they are
    /// measured again, in place of the last probe.
    /// </summary>
    public void OnEnd(IRunState<T> s)
    {
        bool lastIsNow = _snapshots.Count > 0 && _snapshots[^1].Step == s.Step;
        bool putBack = _restoredFrom?.Invoke() is not null || lastIsNow && !s.Network.Parameters.AsSpan().SequenceEqual(_measured);
        if (putBack && lastIsNow) _snapshots.RemoveAt(_snapshots.Count - 1);
        if (_snapshots.Count == 0 || _snapshots[^1].Step != s.Step) Measure(s, putBack);
        int lastStep = _snapshots[^1].Step;
        DeadSince = _lastActive.Select(layer => layer.Select(last => last == lastStep ? (int?)null : NextProbeAfter(last)).ToArray()).ToArray();
    }

    int NextProbeAfter(int step) => _snapshots.Select(p => p.Step).FirstOrDefault(p => p > step);

    /// <param name="putBack">The weights were put back after the last update, so there is no update to measure.</param>
    void Measure(IRunState<T> s, bool putBack = false)
    {
        s.Network.Parameters.CopyTo(_measured, 0);
        var net = s.Network;
        var shape = net.Shape;
        int gridN = _probes.DomainGrid.Count, sampleN = _probes.TrainingSample.Count;
        net.Forward(_gridWs, gridN);
        Array.Clear(_gradient);
        if (sampleN > 0)
        {
            net.Forward(_sampleWs, sampleN);
            MeanSquaredError.LossAndGradient<T>(_sampleWs.Output.AsSpan(0, sampleN), _sampleWs.Target.AsSpan(0, sampleN), _sampleWs.Delta[^1].AsSpan(0, sampleN));
            net.Backward(_sampleWs, sampleN, _gradient);
        }
        var layers = new LayerSnapshot[shape.LayerCount];
        for (int l = 0; l < shape.LayerCount; l++)
            layers[l] = LayerStats.Measure(net, l, _gridWs, gridN, _sampleWs, sampleN, _gradient, _previous, s.Step, _lastActive, updateKnown: !putBack);

        var output = OutputInUserUnits(_gridWs, gridN);
        var sampleOutput = OutputInUserUnits(_sampleWs, sampleN);
        double mse = 0;
        for (int i = 0; i < sampleN; i++) mse += Sq(sampleOutput[i] - _probes.TrainingSample.Y.Span[i]);
        var (targetMean, targetStd, _) = AffineMap.Moments(_probes.TrainingSample.Y.Span);
        var (outMean, outStd, _) = AffineMap.Moments(output);
        _snapshots.Add(new ProbeSnapshot
        {
            Step = s.Step,
            Layers = layers,
            OutputMean = outMean,
            OutputStd = outStd,
            OutputMin = output.Min(),
            OutputMax = output.Max(),
            ProbeMse = sampleN > 0 ? mse / sampleN : double.NaN,
            TargetVariance = targetStd * targetStd,
            Kinks = shape.Inputs == 1 && shape.Activation.IsReluFamily() ? Kinks(shape, gridN) : null,
            AllFinite = output.All(double.IsFinite) && net.Parameters.All(T.IsFinite),
            RestoredFrom = putBack ? _restoredFrom?.Invoke() : null,
        });
    }

    /// <summary>Grid neighbours whose hidden activation patterns differ: each is at least one kink of the curve.</summary>
    int Kinks(NetworkShape shape, int n)
    {
        int kinks = 0;
        for (int i = 1; i < n; i++)
        {
            bool changed = false;
            for (int l = 0; l < shape.Hidden.Length && !changed; l++)
            {
                var z = _gridWs.Z[l];
                for (int u = 0; u < shape.Hidden[l] && !changed; u++)
                    changed = (z[u * n + i] > T.Zero) != (z[u * n + i - 1] > T.Zero);
            }
            if (changed) kinks++;
        }
        return kinks;
    }

    double[] OutputInUserUnits(Workspace<T> ws, int n)
    {
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = _normalization.Target.Inverse(double.CreateTruncating(ws.Output[i]));
        return y;
    }

    void LoadInputs(Workspace<T> ws, Sampling.SampleSet set, bool withTargets)
    {
        int n = set.Count, d = set.Inputs;
        ReadOnlySpan<double> x = set.X.Span, y = set.Y.Span;
        for (int i = 0; i < n; i++)
        {
            for (int k = 0; k < d; k++) ws.Input[k * n + i] = T.CreateChecked(_normalization.Inputs[k].Forward(x[i * d + k]));
            if (withTargets) ws.Target[i] = T.CreateChecked(_normalization.Target.Forward(y[i]));
        }
    }

    static double Sq(double v) => v * v;
}
