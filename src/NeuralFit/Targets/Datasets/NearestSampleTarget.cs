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
    readonly int _count, _outputs;

    public NearestSampleTarget(Dataset data)
    {
        InputCount = data.InputCount;
        Text = data.Source;
        var rows = data.Rows;
        _outputs = rows.Outputs;
        var ranges = data.Ranges();
        _scale = ranges.Select(r => 1 / r.Width).ToArray();
        if (InputCount == 1)
        {
            var all = rows.Select(Enumerable.Range(0, rows.Count));
            var order = Enumerable.Range(0, all.Count).OrderBy(i => all.X.Span[i]).ToArray();
            var sorted = all.Select(order);
            (_x, _y, _count) = (sorted.X.ToArray(), sorted.Y.ToArray(), sorted.Count);
            return;
        }
        int take = Math.Min(MaxCandidates, rows.Count);
        var chosen = rows.Select(Enumerable.Range(0, take).Select(i => (int)((long)i * rows.Count / take)));
        (_x, _y, _count) = (chosen.X.ToArray(), chosen.Y.ToArray(), take);
    }

    public int InputCount { get; }
    public int OutputCount => _outputs;
    public string Text { get; }

    public void Evaluate(ReadOnlySpan<double> x, Span<double> y)
    {
        int d = InputCount, k = _outputs;
        for (int i = 0; i < y.Length / k; i++)
        {
            int s = d == 1 ? Nearest1D(x[i]) : Nearest(x.Slice(i * d, d));
            _y.AsSpan(s * k, k).CopyTo(y.Slice(i * k, k));
        }
    }

    int Nearest1D(double v)
    {
        int at = Array.BinarySearch(_x, v);
        if (at >= 0) return at;
        int above = ~at;
        if (above == 0) return 0;
        if (above == _count) return _count - 1;
        return v - _x[above - 1] <= _x[above] - v ? above - 1 : above;
    }

    int Nearest(ReadOnlySpan<double> point)
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
        return best;
    }
}
