using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralFit.Numerics;

/// <summary>
/// The Gram matrix of a Jacobian block, g += J Jᵀ (lower triangle), the bulk of a Levenberg–Marquardt iteration
/// (P²·n/2 multiply-adds). A plain dot product per entry loads two numbers per multiply-add; this kernel computes a
/// 4 × 4 tile of entries at once (<see cref="Tile4x4"/>), so each vector it loads from a row of J feeds four
/// multiply-adds, with sixteen accumulators kept in registers (two 4 × 2 tiles of eight with 16 registers) (BLAS's dsyrk does the same with larger tiles). <see cref="RunGramKernel"/>
/// uses the same tile on Jacobians with zero runs, and splits large products over the cores. <see cref="Naive"/> is
/// the reference both are tested against.
/// </summary>
internal static class GramKernel
{
    /// <summary>Multiply-adds below which one core does the whole product (about 0.1 ms of work, against tens of
    /// microseconds to wake the other cores).</summary>
    public const double ParallelThreshold = 2e6;

    // j (p, n) row-major -> g (p×p, row-major) lower triangle += J Jᵀ; the strict upper triangle is not touched
    public static void AddLower(ReadOnlySpan<double> j, int p, int n, Span<double> g)
    {
        if (j.Length < p * n || g.Length < p * p) throw new ArgumentException("buffers too small");
        AddRows(j, p, n, g, 0, p);
    }

    /// <summary>
    /// Whether a product of this many multiply-adds is worth splitting over the cores, and if so the edges of the
    /// bands of rows (or row tiles) to split it into: row i of a lower triangle costs about i, so edges at
    /// rows·√(k/bands) give bands of equal work; each edge is a multiple of <paramref name="multiple"/>.
    /// </summary>
    public static int[]? Bands(int rows, double multiplyAdds, int multiple, double threshold = ParallelThreshold)
    {
        int cores = Environment.ProcessorCount;
        if (cores == 1 || multiplyAdds < threshold) return null;
        var edges = new int[2 * cores + 1]; // made here only: a product kept on one core allocates nothing
        BandEdges(rows, multiple, edges);
        return edges;
    }

    /// <summary>
    /// Writes into edges (bands + 1) the edges of <c>bands</c> bands of rows (or row tiles) of a lower triangle of equal
    /// work: row i costs about i, so edges at rows·√(k/bands); each a multiple of <paramref name="multiple"/>. Made
    /// without allocating, for products split the same way whatever the core count.
    /// </summary>
    public static void BandEdges(int rows, int multiple, Span<int> edges)
    {
        int bands = edges.Length - 1;
        for (int k = 0; k < bands; k++) edges[k] = Math.Min(rows, (int)(rows * Math.Sqrt((double)k / bands)) / multiple * multiple);
        edges[bands] = rows;
    }

    // rows [from, to) of the lower triangle of g += J Jᵀ; from is a multiple of 4
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void AddRows(ReadOnlySpan<double> j, int p, int n, Span<double> g, int from, int to)
    {
        Span<double> t = stackalloc double[16];
        ref double first = ref MemoryMarshal.GetReference(j);
        int i = from;
        for (; i + 4 <= to; i += 4)
            for (int k = 0; k <= i; k += 4)
            {
                ref double r0 = ref Unsafe.Add(ref first, i * n);
                ref double c0 = ref Unsafe.Add(ref first, k * n);
                Tile4x4(ref r0, ref Unsafe.Add(ref r0, n), ref Unsafe.Add(ref r0, 2 * n), ref Unsafe.Add(ref r0, 3 * n),
                    ref c0, ref Unsafe.Add(ref c0, n), ref Unsafe.Add(ref c0, 2 * n), ref Unsafe.Add(ref c0, 3 * n), 0, n, t);
                for (int a = 0; a < 4; a++)
                    for (int b = 0; b < 4; b++)
                        if (k + b <= i + a) g[(i + a) * p + k + b] += t[4 * a + b];
            }
        for (; i < to; i++) // rows left over below the last full tile
            for (int k = 0; k <= i; k++) g[i * p + k] += Dot(j, n, i, k);
    }

    /// <summary>
    /// t = the eight sums over samples [from, to) of rows r0..r3 times rows c0, c1: t[2a + b] = Σ r_a c_b. Each vector
    /// loaded from a row feeds two or four multiply-adds, with eight accumulators kept in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void Tile4x2(ref double r0, ref double r1, ref double r2, ref double r3, ref double c0, ref double c1,
        int from, int to, Span<double> t)
    {
        var a00 = Vector<double>.Zero; var a01 = Vector<double>.Zero;
        var a10 = Vector<double>.Zero; var a11 = Vector<double>.Zero;
        var a20 = Vector<double>.Zero; var a21 = Vector<double>.Zero;
        var a30 = Vector<double>.Zero; var a31 = Vector<double>.Zero;
        int w = Vector<double>.Count, s = from;
        for (; s + w <= to; s += w)
        {
            var x0 = Vector.LoadUnsafe(ref c0, (nuint)s);
            var x1 = Vector.LoadUnsafe(ref c1, (nuint)s);
            var y = Vector.LoadUnsafe(ref r0, (nuint)s);
            a00 = Vector.FusedMultiplyAdd(y, x0, a00); a01 = Vector.FusedMultiplyAdd(y, x1, a01);
            y = Vector.LoadUnsafe(ref r1, (nuint)s);
            a10 = Vector.FusedMultiplyAdd(y, x0, a10); a11 = Vector.FusedMultiplyAdd(y, x1, a11);
            y = Vector.LoadUnsafe(ref r2, (nuint)s);
            a20 = Vector.FusedMultiplyAdd(y, x0, a20); a21 = Vector.FusedMultiplyAdd(y, x1, a21);
            y = Vector.LoadUnsafe(ref r3, (nuint)s);
            a30 = Vector.FusedMultiplyAdd(y, x0, a30); a31 = Vector.FusedMultiplyAdd(y, x1, a31);
        }
        t[0] = Vector.Sum(a00); t[1] = Vector.Sum(a01); t[2] = Vector.Sum(a10); t[3] = Vector.Sum(a11);
        t[4] = Vector.Sum(a20); t[5] = Vector.Sum(a21); t[6] = Vector.Sum(a30); t[7] = Vector.Sum(a31);
        for (; s < to; s++) // the tail shorter than a vector
        {
            double x0 = Unsafe.Add(ref c0, s), x1 = Unsafe.Add(ref c1, s);
            double y0 = Unsafe.Add(ref r0, s), y1 = Unsafe.Add(ref r1, s), y2 = Unsafe.Add(ref r2, s), y3 = Unsafe.Add(ref r3, s);
            t[0] += y0 * x0; t[1] += y0 * x1; t[2] += y1 * x0; t[3] += y1 * x1;
            t[4] += y2 * x0; t[5] += y2 * x1; t[6] += y3 * x0; t[7] += y3 * x1;
        }
    }

    /// <summary>
    /// t (16) = the sums over samples [from, to) of rows r0..r3 times rows c0..c3: t[4a + b] = Σ r_a c_b. With 512-bit
    /// vectors, one tile of 16 accumulators, so each vector loaded feeds four multiply-adds (half a load per multiply-add,
    /// against 3/4 with 4 × 2 tiles, which left lm's Gram product waiting on the L2 cache); else two 4 × 2 tiles (16
    /// accumulators do not fit 16 registers).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    internal static void Tile4x4(ref double r0, ref double r1, ref double r2, ref double r3, ref double c0, ref double c1,
        ref double c2, ref double c3, int from, int to, Span<double> t)
    {
        if (Vector512.IsHardwareAccelerated && to - from >= 2 * Vector512<double>.Count)
        {
            Tile4x4Wide(ref r0, ref r1, ref r2, ref r3, ref c0, ref c1, ref c2, ref c3, from, to, t);
            return;
        }
        Span<double> half = stackalloc double[8];
        Tile4x2(ref r0, ref r1, ref r2, ref r3, ref c0, ref c1, from, to, half);
        for (int a = 0; a < 4; a++) (t[4 * a], t[4 * a + 1]) = (half[2 * a], half[2 * a + 1]);
        Tile4x2(ref r0, ref r1, ref r2, ref r3, ref c2, ref c3, from, to, half);
        for (int a = 0; a < 4; a++) (t[4 * a + 2], t[4 * a + 3]) = (half[2 * a], half[2 * a + 1]);
    }

    /// <summary><see cref="Tile4x4"/> on 512-bit vectors: each entry a vector sum over the samples, reduced, then the tail
    /// shorter than a vector added in sample order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void Tile4x4Wide(ref double r0, ref double r1, ref double r2, ref double r3, ref double c0, ref double c1,
        ref double c2, ref double c3, int from, int to, Span<double> t)
    {
        var a00 = Vector512<double>.Zero; var a01 = a00; var a02 = a00; var a03 = a00;
        var a10 = a00; var a11 = a00; var a12 = a00; var a13 = a00;
        var a20 = a00; var a21 = a00; var a22 = a00; var a23 = a00;
        var a30 = a00; var a31 = a00; var a32 = a00; var a33 = a00;
        int w = Vector512<double>.Count, s = from;
        for (; s + w <= to; s += w)
        {
            var x0 = Vector512.LoadUnsafe(ref c0, (nuint)s);
            var x1 = Vector512.LoadUnsafe(ref c1, (nuint)s);
            var x2 = Vector512.LoadUnsafe(ref c2, (nuint)s);
            var x3 = Vector512.LoadUnsafe(ref c3, (nuint)s);
            var y = Vector512.LoadUnsafe(ref r0, (nuint)s);
            a00 = Vector512.FusedMultiplyAdd(y, x0, a00); a01 = Vector512.FusedMultiplyAdd(y, x1, a01);
            a02 = Vector512.FusedMultiplyAdd(y, x2, a02); a03 = Vector512.FusedMultiplyAdd(y, x3, a03);
            y = Vector512.LoadUnsafe(ref r1, (nuint)s);
            a10 = Vector512.FusedMultiplyAdd(y, x0, a10); a11 = Vector512.FusedMultiplyAdd(y, x1, a11);
            a12 = Vector512.FusedMultiplyAdd(y, x2, a12); a13 = Vector512.FusedMultiplyAdd(y, x3, a13);
            y = Vector512.LoadUnsafe(ref r2, (nuint)s);
            a20 = Vector512.FusedMultiplyAdd(y, x0, a20); a21 = Vector512.FusedMultiplyAdd(y, x1, a21);
            a22 = Vector512.FusedMultiplyAdd(y, x2, a22); a23 = Vector512.FusedMultiplyAdd(y, x3, a23);
            y = Vector512.LoadUnsafe(ref r3, (nuint)s);
            a30 = Vector512.FusedMultiplyAdd(y, x0, a30); a31 = Vector512.FusedMultiplyAdd(y, x1, a31);
            a32 = Vector512.FusedMultiplyAdd(y, x2, a32); a33 = Vector512.FusedMultiplyAdd(y, x3, a33);
        }
        t[0] = Vector512.Sum(a00); t[1] = Vector512.Sum(a01); t[2] = Vector512.Sum(a02); t[3] = Vector512.Sum(a03);
        t[4] = Vector512.Sum(a10); t[5] = Vector512.Sum(a11); t[6] = Vector512.Sum(a12); t[7] = Vector512.Sum(a13);
        t[8] = Vector512.Sum(a20); t[9] = Vector512.Sum(a21); t[10] = Vector512.Sum(a22); t[11] = Vector512.Sum(a23);
        t[12] = Vector512.Sum(a30); t[13] = Vector512.Sum(a31); t[14] = Vector512.Sum(a32); t[15] = Vector512.Sum(a33);
        for (; s < to; s++) // the tail shorter than a vector
        {
            double y0 = Unsafe.Add(ref r0, s), y1 = Unsafe.Add(ref r1, s), y2 = Unsafe.Add(ref r2, s), y3 = Unsafe.Add(ref r3, s);
            for (int b = 0; b < 4; b++)
            {
                double x = Unsafe.Add(ref b == 0 ? ref c0 : ref b == 1 ? ref c1 : ref b == 2 ? ref c2 : ref c3, s);
                t[b] += y0 * x; t[4 + b] += y1 * x; t[8 + b] += y2 * x; t[12 + b] += y3 * x;
            }
        }
    }

    static double Dot(ReadOnlySpan<double> j, int n, int a, int b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(j.Slice(a * n, n), j.Slice(b * n, n));

    /// <summary>The same product, one entry at a time: the reference.</summary>
    public static void Naive(ReadOnlySpan<double> j, int p, int n, Span<double> g)
    {
        for (int a = 0; a < p; a++)
            for (int b = 0; b <= a; b++)
            {
                double sum = 0;
                for (int s = 0; s < n; s++) sum += j[a * n + s] * j[b * n + s];
                g[a * p + b] += sum;
            }
    }
}
