using System.Numerics;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// Where each unit of a one-input two-piece linear layer changes slope, and the units sorted by it.
/// <para>
/// Unit i computes z = b + w·x and a = s·z, with its slope s (1, or 0 / the leak slope) fixed on either side of one
/// cut on the x axis. A cut here is exact: the first float x at which the unit has crossed (z &gt; 0 for a rising
/// unit, w &gt; 0; z ≤ 0 for a falling one), with z evaluated as <see cref="Reference.DenseNaive"/> does, found by stepping
/// ulps from −b/w. z is monotone in x, so a sample's slopes are exactly those its own z gives.
/// </para>
/// </summary>
internal sealed class SegmentCuts<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    const int MaxUlpSteps = 64;

    readonly T[] _cuts;

    public SegmentCuts(int width)
    {
        Width = width;
        _cuts = new T[width];
        Order = Enumerable.Range(0, width).ToArray();
        Sorted = new T[width];
        CrossedFrom = new int[width];
        Below = new double[width];
        Above = new double[width];
    }

    public int Width { get; }

    /// <summary>Units by cut, tied cuts by unit number, so the order depends on the cuts alone (a resumed run sums in
    /// the same order); kept from step to step, where it is nearly sorted already (so an insertion sort).</summary>
    public int[] Order { get; }

    /// <summary>The cuts in that order; +∞ for a unit whose slope never changes.</summary>
    public T[] Sorted { get; }

    /// <summary>Per unit: the first segment (count of cuts ≤ x) on which it has crossed.</summary>
    public int[] CrossedFrom { get; }

    /// <summary>Per unit: its slope below its cut and from its cut on.</summary>
    public double[] Below { get; }
    public double[] Above { get; }

    /// <summary>Places every unit's cut (units of the two-piece linear activation <typeparamref name="TAct"/>) and
    /// sorts them; false when a cut cannot be placed (non-finite parameters, or a weight so small the cut lies
    /// astronomically far).</summary>
    public bool Place<TAct>(ReadOnlySpan<T> w, ReadOnlySpan<T> b) where TAct : struct, IActivation<T>
    {
        double on = double.CreateChecked(TAct.Derivative(T.One, T.One)), off = double.CreateChecked(TAct.Derivative(-T.One, -T.One));
        for (int i = 0; i < Width; i++)
        {
            T wi = w[i], bi = b[i];
            if (!T.IsFinite(wi) || !T.IsFinite(bi)) return false;
            if (wi == T.Zero || on == off)
            {
                _cuts[i] = T.PositiveInfinity; // one slope everywhere
                Below[i] = Above[i] = bi > T.Zero ? on : off;
                continue;
            }
            bool rising = wi > T.Zero;
            if (!FirstCrossed(wi, bi, rising, out _cuts[i])) return false;
            (Below[i], Above[i]) = rising ? (off, on) : (on, off);
        }
        Sort();
        return true;
    }

    static bool FirstCrossed(T w, T b, bool rising, out T cut)
    {
        cut = -b / w;
        if (T.IsNaN(cut)) return false;
        int steps = 0;
        if (Crossed(w, b, rising, cut))
        {
            while (Crossed(w, b, rising, T.BitDecrement(cut)))
            {
                cut = T.BitDecrement(cut);
                if (++steps > MaxUlpSteps || T.IsNegativeInfinity(cut)) return false;
            }
            return true;
        }
        do
        {
            cut = T.BitIncrement(cut);
            if (++steps > MaxUlpSteps) return false;
        } while (!Crossed(w, b, rising, cut));
        return true;
    }

    static bool Crossed(T w, T b, bool rising, T x)
    {
        T z = b + w * x; // as the reference dense layer computes it
        return rising ? z > T.Zero : !(z > T.Zero);
    }

    void Sort()
    {
        for (int p = 1; p < Width; p++)
        {
            int unit = Order[p];
            T cut = _cuts[unit];
            int q = p - 1;
            while (q >= 0 && (_cuts[Order[q]] > cut || (_cuts[Order[q]] == cut && Order[q] > unit))) { Order[q + 1] = Order[q]; q--; }
            Order[q + 1] = unit;
        }
        // Tied cuts are crossed together: the segments between them stay empty, so a unit's own position among
        // equal cuts changes no sum.
        for (int p = 0; p < Width; p++)
        {
            Sorted[p] = _cuts[Order[p]];
            CrossedFrom[Order[p]] = p + 1;
        }
    }

    /// <summary>How many of the sorted values are &lt; x.</summary>
    public static int CountBelow(ReadOnlySpan<T> sorted, T x) => Count(sorted, x, orEqual: false);

    /// <summary>How many of the sorted values are ≤ x (for the cuts: the segment x falls in).</summary>
    public static int CountAtMost(ReadOnlySpan<T> sorted, T x) => Count(sorted, x, orEqual: true);

    static int Count(ReadOnlySpan<T> sorted, T x, bool orEqual)
    {
        int lo = 0, count = sorted.Length;
        while (count > 0)
        {
            int half = count >> 1;
            T v = sorted[lo + half];
            if (v < x || (orEqual && v == x)) { lo += half + 1; count -= half + 1; }
            else count = half;
        }
        return lo;
    }
}
