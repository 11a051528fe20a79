using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// A one-input batch arranged by segment (see <see cref="SegmentCuts{T}"/>): each sample's segment found, then the
/// batch's samples (input and targets together) reordered, stably, so every segment is one run of columns. A loss
/// summed over the batch does not depend on the samples' order, and every later layer then works on runs.
/// </summary>
internal sealed class SegmentedBatch<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int[] _segment;
    readonly T[] _scratch, _offset;

    public SegmentedBatch(int width, int capacity)
    {
        _segment = new int[capacity];
        _scratch = new T[capacity];
        _offset = new T[capacity];
        Starts = new int[width + 2];
    }

    /// <summary>Segment k is columns [Starts[k], Starts[k + 1]) of the arranged batch (k = 0 … width).</summary>
    public int[] Starts { get; }

    /// <summary>Arranges a batch of n samples by segment, x (n) and y (outputs, n) together, each sample's offset
    /// from its segment's origin x₀ (<paramref name="origin"/>, per segment) noted; false (nothing moved) when an
    /// input is NaN.</summary>
    public bool Arrange(SegmentCuts<T> cuts, ReadOnlySpan<T> origin, Span<T> input, Span<T> targets, int outputs, int n)
    {
        var x = input[..n];
        T min = TensorPrimitives.Min<T>(x), max = TensorPrimitives.Max<T>(x);
        if (T.IsNaN(min) || T.IsNaN(max)) return false;
        var seg = _segment.AsSpan(0, n);
        Assign(cuts.Sorted, x, seg, SegmentCuts<T>.CountBelow(cuts.Sorted, min), SegmentCuts<T>.CountAtMost(cuts.Sorted, max));

        Array.Clear(Starts);
        bool inOrder = true;
        for (int j = 0; j < n; j++)
        {
            Starts[seg[j] + 1]++;
            if (j > 0 && seg[j] < seg[j - 1]) inOrder = false;
        }
        for (int k = 1; k < Starts.Length; k++) Starts[k] += Starts[k - 1];
        if (!inOrder)
        {
            Reorder(x, seg);
            for (int o = 0; o < outputs; o++) Reorder(targets.Slice(o * n, n), seg);
            for (int k = 0; k < Starts.Length - 1; k++) seg[Starts[k]..Starts[k + 1]].Fill(k);
        }
        Offsets(x, origin);
        return true;
    }

    /// <summary>Per column of the arranged batch: its segment.</summary>
    public ReadOnlySpan<int> Segment => _segment;

    /// <summary>Per column of the arranged batch: x − x₀, x₀ its segment's origin.</summary>
    public ReadOnlySpan<T> Offset => _offset;

    void Offsets(ReadOnlySpan<T> x, ReadOnlySpan<T> origin)
    {
        for (int k = 0; k < Starts.Length - 1; k++)
        {
            int from = Starts[k], to = Starts[k + 1];
            T x0 = origin[k];
            for (int j = from; j < to; j++) _offset[j] = x[j] - x0;
        }
    }

    // seg[j] = how many cuts are ≤ x[j]. The cuts below every sample count for all of them; only those in [lo, hi)
    // lie inside the batch's range and are compared, a vector of samples at a time.
    static void Assign(ReadOnlySpan<T> sorted, ReadOnlySpan<T> x, Span<int> seg, int lo, int hi)
    {
        int v = Vector<T>.Count, n = x.Length, j = 0;
        ref T xr = ref MemoryMarshal.GetReference(x);
        for (; j + v <= n; j += v)
        {
            var xv = Vector.LoadUnsafe(ref xr, (nuint)j);
            var count = Vector<T>.Zero;
            for (int p = lo; p < hi; p++)
                count += Vector.BitwiseAnd(Vector.LessThanOrEqual(new Vector<T>(sorted[p]), xv), Vector<T>.One);
            if (typeof(T) == typeof(float))
                (Vector.ConvertToInt32(Vector.As<T, float>(count)) + new Vector<int>(lo)).CopyTo(seg[j..]);
            else
                for (int l = 0; l < v; l++) seg[j + l] = lo + int.CreateTruncating(count[l]);
        }
        for (; j < n; j++) seg[j] = SegmentCuts<T>.CountAtMost(sorted, x[j]);
    }

    // A stable counting sort of one row by segment, through the scratch row.
    void Reorder(Span<T> row, ReadOnlySpan<int> seg)
    {
        var copy = _scratch.AsSpan(0, row.Length);
        row.CopyTo(copy);
        // Starts[k] is where segment k's next sample goes; walked forward and then restored.
        for (int j = 0; j < row.Length; j++) row[Starts[seg[j]]++] = copy[j];
        for (int k = Starts.Length - 1; k > 0; k--) Starts[k] = Starts[k - 1];
        Starts[0] = 0;
    }
}
