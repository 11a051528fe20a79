using System.Numerics;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// The part of <see cref="OneInputSegments{T, TUnits, TNext}"/> that depends on the parameters and on no sample, so
/// a step builds it once however many data-parallel chunks read it: the cuts (<see cref="SegmentCuts{T}"/>); per
/// segment k its origin x₀; per output o and segment k, layer 1's z at x₀ and its slope dz/dx; and the backward
/// pass's combine, which turns per-segment sums (one chunk's, or every chunk's merged) into the two layers' gradients.
/// </summary>
internal sealed class SegmentTables<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int _width, _outputs, _stride;
    readonly double[] _unitWeightSums, _unitBiasSums; // (blocks, width): each block of outputs' part
    readonly double[] _w1, _b1, _belowW, _belowB, _stepW, _stepB; // per unit (the steps in cut order)

    public SegmentTables(int width, int outputs)
    {
        _width = width;
        _outputs = outputs;
        _stride = width + 1; // segments 0…width
        Cuts = new SegmentCuts<T>(width);
        Origin = new T[_stride];
        Start = new T[outputs * _stride];
        Slope = new T[outputs * _stride];
        Blocks = Math.Min(outputs, MaxBlocks);
        _unitWeightSums = new double[Blocks * width];
        _unitBiasSums = new double[Blocks * width];
        _w1 = new double[width];
        _b1 = new double[width];
        _belowW = new double[width];
        _belowB = new double[width];
        _stepW = new double[width];
        _stepB = new double[width];
    }

    /// <summary>Blocks of outputs the tables and the combine are built in, a function of the shape alone: the
    /// data-parallel step hands them to its cores, and the sums come out the same on any number of them.</summary>
    public const int MaxBlocks = 4;

    public int Blocks { get; }

    /// <summary>Outputs [lo, hi) of block b.</summary>
    public (int Lo, int Hi) Block(int b) => (b * _outputs / Blocks, (b + 1) * _outputs / Blocks);

    public SegmentCuts<T> Cuts { get; }

    /// <summary>Per segment: x₀, the larger of its lower cut and the batch's least x. Every sample of the segment
    /// lies at or above it and close to it, as close as the segment's own samples lie to each other, so z₀ + A·(x − x₀)
    /// keeps float32 results as close as the products' where w₁x and b₁ nearly cancel; and it depends on no chunk.</summary>
    public T[] Origin { get; }

    /// <summary>(outputs, width + 1): per output and segment, layer 1's z at the segment's origin, and dz/dx.</summary>
    public T[] Start { get; }
    public T[] Slope { get; }

    /// <summary>True after a <see cref="Build{TUnits}"/> that placed every cut (until the next).</summary>
    public bool Ready { get; private set; }

    /// <summary>Places the cuts of layer 0 (w0, b0; units <typeparamref name="TUnits"/>) and builds the tables for
    /// layer 1 (w1 (outputs, width), b1) over a batch whose least x is xMin; false when a cut cannot be placed.</summary>
    public bool Build<TUnits>(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, T xMin)
        where TUnits : struct, IActivation<T>
    {
        if (!Place<TUnits>(w0, b0, xMin)) return false;
        for (int b = 0; b < Blocks; b++) TablesBlock(b, w1, b1);
        return true;
    }

    /// <summary>Marks the tables stale (a step that runs its products instead).</summary>
    public void Withdraw() => Ready = false;

    /// <summary>The cuts, the origins and the units' own terms, before the tables' blocks (<see cref="TablesBlock"/>);
    /// false when a cut cannot be placed.</summary>
    public bool Place<TUnits>(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, T xMin) where TUnits : struct, IActivation<T>
    {
        Ready = false;
        if (!Cuts.Place<TUnits>(w0, b0)) return false;
        for (int k = 0; k <= _width; k++)
        {
            T lower = k == 0 ? T.NegativeInfinity : Cuts.Sorted[k - 1];
            T x0 = lower > xMin ? lower : xMin;
            Origin[k] = T.IsFinite(x0) ? x0 : T.Zero; // a segment above an infinite cut holds no sample
        }
        double[] below = Cuts.Below, above = Cuts.Above;
        int[] order = Cuts.Order;
        for (int i = 0; i < _width; i++)
        {
            (_w1[i], _b1[i]) = (Float64<T>.From(w0[i]), Float64<T>.From(b0[i]));
            (_belowW[i], _belowB[i]) = (below[i] * _w1[i], below[i] * _b1[i]);
        }
        for (int p = 0; p < _width; p++)
        {
            int i = order[p];
            (_stepW[p], _stepB[p]) = ((above[i] - below[i]) * _w1[i], (above[i] - below[i]) * _b1[i]);
        }
        Ready = true;
        return true;
    }

    /// <summary>Block b's rows of the tables: per output o and segment k, layer 1's z = A·x + B there (its bias in
    /// B; w2 (outputs, width), b2 the layer's parameters) as z₀ at the segment's origin and the slope A, built from
    /// the segment below all cuts by one update per cut, in cut order, in float64.</summary>
    public void TablesBlock(int block, ReadOnlySpan<T> w2, ReadOnlySpan<T> b2)
    {
        int[] order = Cuts.Order;
        var (lo, hi) = Block(block);
        for (int o = lo; o < hi; o++)
        {
            var row = w2.Slice(o * _width, _width);
            var start = Start.AsSpan(o * _stride, _stride);
            var slope = Slope.AsSpan(o * _stride, _stride);
            double sa = 0, sb = Float64<T>.From(b2[o]);
            for (int i = 0; i < row.Length; i++)
            {
                double v = Float64<T>.From(row[i]);
                sa += v * _belowW[i];
                sb += v * _belowB[i];
            }
            start[0] = Float64<T>.To(sa * Float64<T>.From(Origin[0]) + sb);
            slope[0] = Float64<T>.To(sa);
            for (int p = 0; p < _width; p++)
            {
                double v = Float64<T>.From(row[order[p]]);
                sa += v * _stepW[p];
                sb += v * _stepB[p];
                start[p + 1] = Float64<T>.To(sa * Float64<T>.From(Origin[p + 1]) + sb);
                slope[p + 1] = Float64<T>.To(sa);
            }
        }
    }

    /// <summary>
    /// The backward pass below layer 1 from its per-segment sums, sx = Σ dz₂·x and s1 = Σ dz₂ over each segment's
    /// samples ((outputs, width + 1), overwritten): adds layer 1's weight gradient dw₂ and layer 0's dw₁, db₁. Prefix
    /// sums over the segments give, per output and unit, Σ dz₂·s·x and Σ dz₂·s, and from them every gradient.
    /// </summary>
    public void Combine(Span<double> sums, Span<double> ones, ReadOnlySpan<T> w2, Span<T> dw2, Span<T> dw1, Span<T> db1)
    {
        CombineRows(0, _outputs, 0, sums, ones, w2, dw2); // one part: a whole batch's pass has no blocks to hand out
        Finish(1, dw1, db1);
    }

    /// <summary><see cref="Combine"/> for block b's outputs: dw₂'s rows, and the block's part of dw₁, db₁, kept
    /// for <see cref="FinishCombine"/>.</summary>
    public void CombineBlock(int block, Span<double> sums, Span<double> ones, ReadOnlySpan<T> w2, Span<T> dw2)
    {
        var (lo, hi) = Block(block);
        CombineRows(lo, hi, block, sums, ones, w2, dw2);
    }

    /// <summary>dw₁, db₁ += the blocks' parts, added in block order.</summary>
    public void FinishCombine(Span<T> dw1, Span<T> db1) => Finish(Blocks, dw1, db1);

    // Outputs [lo, hi): dw₂'s rows, and their part of dw₁, db₁ in part slot `part`.
    void CombineRows(int lo, int hi, int part, Span<double> sums, Span<double> ones, ReadOnlySpan<T> w2, Span<T> dw2)
    {
        double[] below = Cuts.Below, above = Cuts.Above;
        int[] crossedFrom = Cuts.CrossedFrom;
        var unitWeightSums = _unitWeightSums.AsSpan(part * _width, _width);
        var unitBiasSums = _unitBiasSums.AsSpan(part * _width, _width);
        unitWeightSums.Clear();
        unitBiasSums.Clear();
        for (int o = lo; o < hi; o++)
        {
            var sx = sums.Slice(o * _stride, _stride);
            var s1 = ones.Slice(o * _stride, _stride);
            double px = 0, p1 = 0;
            for (int k = 0; k <= _width; k++) // exclusive: sx[k] = Σ over segments before k; px, p1 the totals
            {
                (sx[k], px) = (px, px + sx[k]);
                (s1[k], p1) = (p1, p1 + s1[k]);
            }
            var row = w2.Slice(o * _width, _width);
            var dwRow = dw2.Slice(o * _width, _width);
            for (int i = 0; i < row.Length; i++)
            {
                int from = crossedFrom[i];
                double mx = below[i] * sx[from] + above[i] * (px - sx[from]); // Σ dz s x
                double m1 = below[i] * s1[from] + above[i] * (p1 - s1[from]); // Σ dz s
                double w = Float64<T>.From(row[i]);
                dwRow[i] += Float64<T>.To(_w1[i] * mx + _b1[i] * m1);
                unitWeightSums[i] += w * mx;
                unitBiasSums[i] += w * m1;
            }
        }
    }

    void Finish(int parts, Span<T> dw1, Span<T> db1)
    {
        for (int i = 0; i < _width; i++)
        {
            double weight = 0, bias = 0;
            for (int b = 0; b < parts; b++)
            {
                weight += _unitWeightSums[b * _width + i];
                bias += _unitBiasSums[b * _width + i];
            }
            dw1[i] += Float64<T>.To(weight);
            db1[i] += Float64<T>.To(bias);
        }
    }
}
