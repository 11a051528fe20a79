using NeuralFit.Sampling;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// A dataset seen as a function: the target of the nearest sample (inputs scaled by their ranges). Exact at the
/// samples, piecewise constant between them. Runs need a function for what they measure over the whole domain
/// (probe grids, the scan for non-finite targets); every value of a dataset is finite, and this keeps them so.
/// With several inputs the nearest among at most <see cref="MaxCandidates"/> evenly chosen samples is taken, so a
/// lookup costs a bounded amount whatever the file's size.
/// </summary>
internal sealed class NearestSampleTarget : ITargetFunction
{
    public const int MaxCandidates = 4096;
    readonly double[] _x, _y, _scale;
    readonly int _count;

    public NearestSampleTarget(Dataset data)
    {
        InputCount = data.InputCount;
        Text = data.Source;
        var set = data.Samples;
        var ranges = data.Ranges();
        _scale = ranges.Select(r => 1 / r.Width).ToArray();
        if (InputCount == 1)
        {
            var order = Enumerable.Range(0, set.Count).OrderBy(i => set.X[i]).ToArray();
            _x = order.Select(i => set.X[i]).ToArray();
            _y = order.Select(i => set.Y[i]).ToArray();
            _count = _x.Length;
            return;
        }
        int take = Math.Min(MaxCandidates, set.Count);
        var chosen = set.Select(Enumerable.Range(0, take).Select(i => (int)((long)i * set.Count / take)));
        (_x, _y, _count) = (chosen.X, chosen.Y, take);
    }

    public int InputCount { get; }
    public string Text { get; }

    public void Evaluate(ReadOnlySpan<double> x, Span<double> y)
    {
        int d = InputCount;
        for (int i = 0; i < y.Length; i++) y[i] = d == 1 ? Nearest1D(x[i]) : Nearest(x.Slice(i * d, d));
    }

    double Nearest1D(double v)
    {
        int at = Array.BinarySearch(_x, v);
        if (at >= 0) return _y[at];
        int above = ~at;
        if (above == 0) return _y[0];
        if (above == _count) return _y[^1];
        return v - _x[above - 1] <= _x[above] - v ? _y[above - 1] : _y[above];
    }

    double Nearest(ReadOnlySpan<double> point)
    {
        int d = InputCount, best = 0;
        double bestDistance = double.PositiveInfinity;
        for (int s = 0; s < _count; s++)
        {
            double distance = 0;
            for (int k = 0; k < d; k++)
            {
                double diff = (_x[s * d + k] - point[k]) * _scale[k];
                distance += diff * diff;
            }
            if (distance < bestDistance) (bestDistance, best) = (distance, s);
        }
        return _y[best];
    }
}
