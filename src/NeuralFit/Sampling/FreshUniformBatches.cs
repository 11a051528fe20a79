using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Targets;

namespace NeuralFit.Sampling;

/// <summary>
/// A new batch of x ~ U(domain) every step, as in the ln(x) question. A point whose target is not finite
/// (ln at exactly 0) is redrawn and counted, so one unlucky draw cannot turn the loss into NaN.
/// </summary>
internal sealed class FreshUniformBatches<T> : IBatchSource<T>, IRestorableBatchSource where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly ITargetFunction _target;
    readonly IReadOnlyList<Interval> _domain;
    readonly Normalization _normalization;
    readonly Rng _rng;
    readonly double[] _x, _y;

    public FreshUniformBatches(ITargetFunction target, IReadOnlyList<Interval> domain, int batchSize, Normalization normalization, Rng rng)
    {
        (_target, _domain, _normalization, _rng, BatchSize) = (target, domain, normalization, rng, batchSize);
        _x = new double[batchSize * domain.Count];
        _y = new double[batchSize * target.OutputCount];
    }

    public int BatchSize { get; }

    /// <summary>Points redrawn because their target was not finite.</summary>
    public long Redrawn { get; private set; }

    public BatchSourceState SaveState() => new(_rng.GetState(), [], 0, Redrawn);

    public void RestoreState(BatchSourceState state)
    {
        _rng.SetState(state.Rng);
        Redrawn = state.Redrawn;
    }

    public int Next(Batch<T> batch)
    {
        int n = BatchSize, d = _domain.Count, k = _target.OutputCount;
        PointSets.FillUniform(_domain, _x, _rng);
        _target.Evaluate(_x, _y);
        for (int i = 0; i < n; i++)
        {
            for (int attempt = 0; attempt < 100 && !AllFinite(_y.AsSpan(i * k, k)); attempt++)
            {
                PointSets.FillUniform(_domain, _x.AsSpan(i * d, d), _rng);
                _target.Evaluate(_x.AsSpan(i * d, d), _y.AsSpan(i * k, k));
                Redrawn++;
            }
            if (!AllFinite(_y.AsSpan(i * k, k)))
                throw new InputError($"target '{_target.Text}' is not finite anywhere it was sampled near x = {_x[i * d]}");
            BatchWriter.Write(batch, i, n, _x.AsSpan(i * d, d), _y.AsSpan(i * k, k), _normalization);
        }
        return n;
    }

    static bool AllFinite(ReadOnlySpan<double> y)
    {
        foreach (double v in y)
            if (!double.IsFinite(v)) return false;
        return true;
    }
}
