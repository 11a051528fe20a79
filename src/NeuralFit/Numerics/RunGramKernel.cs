using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Numerics;

/// <summary>
/// g += J Jᵀ (lower triangle) for a Jacobian block whose rows are zero outside a run of samples: a ReLU network's,
/// with the samples in input order. A unit that is off for a sample adds nothing to its parameters' rows there, and
/// with one input a unit is on over one side of its kink, so each row's non-zeros form one run; measured on the
/// question's 1-50-10-1 network fitting ln, about half of every row is zero. The rows are taken in the order their
/// runs start, so the four and four rows of a <see cref="GramKernel.Tile4x4"/> tile have nearby runs, and each tile
/// multiplies only over the samples where its rows' runs overlap; rows that are zero throughout are skipped. Rows
/// with zeros scattered inside their run are still exact, only slower; dense rows cost what <see cref="GramKernel"/>
/// costs, plus one scan of each row's ends. Large products are split into bands of rows by the caller, which
/// may run them on several cores (<see cref="GramKernel.BandEdges"/>).
/// </summary>
internal sealed class RunGramKernel
{
    readonly int[] _start, _end, _order;
    readonly long[] _keys;
    int _rows;

    /// <summary>Scratch for Jacobian blocks of up to <paramref name="parameters"/> rows, made once.</summary>
    public RunGramKernel(int parameters)
    {
        _start = new int[parameters];
        _end = new int[parameters];
        _order = new int[parameters];
        _keys = new long[parameters];
    }

    /// <summary>g += J Jᵀ (lower triangle) on one core, scratch made for the call.</summary>
    public static void AddLower(double[] j, int p, int n, double[] g)
    {
        if (j.Length < p * n || g.Length < p * p) throw new ArgumentException("buffers too small");
        var kernel = new RunGramKernel(p);
        kernel.AddRows(j, p, n, g, 0, kernel.Prepare(j, p, n));
    }

    /// <summary>Finds each row's run of non-zeros in block j (p, n) and orders the non-zero rows by their runs;
    /// returns how many there are: <see cref="AddRows"/> takes bands of [0, that).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public int Prepare(double[] j, int p, int n)
    {
        if (j.Length < p * n || p > _start.Length) throw new ArgumentException("block too large for this kernel's scratch");
        int rows = 0;
        for (int r = 0; r < p; r++)
        {
            var row = j.AsSpan(r * n, n);
            int first = 0, last = n;
            while (first < n && row[first] == 0) first++;
            while (last > first && row[last - 1] == 0) last--;
            (_start[r], _end[r]) = (first, last);
            if (first == last) continue; // zero throughout: no contribution
            _order[rows] = r;
            _keys[rows++] = (long)first * (n + 1) + last;
        }
        Array.Sort(_keys, _order, 0, rows);
        return _rows = rows;
    }

    /// <summary>Ordered rows [from, to) of the last <see cref="Prepare"/>d block against every ordered row up to them,
    /// into g (p×p, lower triangle); from is a multiple of 4. Bands of rows touch disjoint entries of g, and each entry
    /// is the same sum whichever band computes it, so bands can run on any cores in any order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void AddRows(double[] j, int p, int n, double[] g, int from, int to)
    {
        if (from % 4 != 0 || to > _rows) throw new ArgumentException("bands start at multiples of 4, within the prepared rows");
        Span<double> t = stackalloc double[16];
        ref double first = ref MemoryMarshal.GetArrayDataReference(j);
        var (start, end, order) = (_start, _end, _order);
        int i = from;
        for (; i + 4 <= to; i += 4)
        {
            int o0 = order[i], o1 = order[i + 1], o2 = order[i + 2], o3 = order[i + 3];
            int rowsFrom = Math.Min(Math.Min(start[o0], start[o1]), Math.Min(start[o2], start[o3]));
            int rowsTo = Math.Max(Math.Max(end[o0], end[o1]), Math.Max(end[o2], end[o3]));
            for (int k = 0; k <= i; k += 4)
            {
                int c0 = order[k], c1 = order[k + 1], c2 = order[k + 2], c3 = order[k + 3];
                int from2 = Math.Max(rowsFrom, Math.Min(Math.Min(start[c0], start[c1]), Math.Min(start[c2], start[c3])));
                int to2 = Math.Min(rowsTo, Math.Max(Math.Max(end[c0], end[c1]), Math.Max(end[c2], end[c3])));
                if (from2 >= to2) continue; // the runs do not meet
                GramKernel.Tile4x4(ref Unsafe.Add(ref first, o0 * n), ref Unsafe.Add(ref first, o1 * n), ref Unsafe.Add(ref first, o2 * n),
                    ref Unsafe.Add(ref first, o3 * n), ref Unsafe.Add(ref first, c0 * n), ref Unsafe.Add(ref first, c1 * n),
                    ref Unsafe.Add(ref first, c2 * n), ref Unsafe.Add(ref first, c3 * n), from2, to2, t);
                for (int a = 0; a < 4; a++)
                    for (int b = 0; b < 4; b++)
                        if (k + b <= i + a) AddEntry(g, p, order[i + a], order[k + b], t[4 * a + b]);
            }
        }
        for (; i < to; i++) // rows left over below the last full tile
            for (int k = 0; k <= i; k++)
            {
                int a = order[i], b = order[k], lo = Math.Max(start[a], start[b]), hi = Math.Min(end[a], end[b]);
                if (lo < hi) AddEntry(g, p, a, b, System.Numerics.Tensors.TensorPrimitives.Dot(j.AsSpan(a * n + lo, hi - lo), j.AsSpan(b * n + lo, hi - lo)));
            }
    }

    /// <summary>Entry (a, b) or (b, a), whichever is in the lower triangle.</summary>
    static void AddEntry(double[] g, int p, int a, int b, double value) => g[Math.Max(a, b) * p + Math.Min(a, b)] += value;
}
