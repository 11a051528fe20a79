using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Numerics;

/// <summary>
/// The trailing update of a blocked Cholesky factorisation, A22 −= L21 L21ᵀ on the lower triangle, most of the
/// factorisation's work. The panel L21 (rest × b) is short (b columns), so instead of dot products (which end every
/// entry with a horizontal sum) this is an outer-product kernel, as in BLAS's GEMM micro-kernels: a 4 × 2W tile of
/// A22 (W doubles per vector) stays in eight vector registers while the b columns stream past, each step one
/// broadcast from L21 for each of the four rows and two vector loads from L21ᵀ feeding eight multiply-adds. L21 is
/// read by rows; L21ᵀ is first packed in strips of 2W columns, each strip's b steps contiguous, so the loads stream
/// through memory in the order the kernel uses them. Tiles that cross the diagonal are computed whole and written
/// only below it, so the strict upper triangle is never touched.
/// </summary>
static class TrailingUpdate
{
    /// <summary>Doubles in the packed copy of L21ᵀ for a panel of rest × b.</summary>
    public static int PackedLength(int rest, int b) => (rest + 2 * Vector<double>.Count) * b;

    // a[(offset + i) * n + offset + j] −= Σ_c rows[i·b + c] rows[j·b + c], for 0 ≤ j ≤ i < rest; packed is scratch
    public static void Apply(double[] a, int n, int offset, double[] rows, int rest, int b, double[] packed)
    {
        Pack(rows, rest, b, packed);
        int tiles = (rest + 3) / 4;
        var bands = GramKernel.Bands(tiles, 0.5 * rest * rest * b, 1, ParallelThreshold);
        if (bands is null) ApplyRows(a, n, offset, rows, packed, rest, b, 0, tiles);
        else ApplyBands(a, n, offset, rows, packed, rest, b, bands);
    }

    /// <summary>Multiply-adds of an update below which one core does it: about 0.5 ms of work, so that the tasks'
    /// start-up and allocations are noise where they run at all. Levenberg–Marquardt factors its P×P system every
    /// iteration; up to P ≈ 400 its updates then stay on one core and allocate nothing (its JᵀJ, P²·N/2 with N ≥ P,
    /// is the work worth the cores).</summary>
    const double ParallelThreshold = 1e7;

    // Its own method: the lambda's closure is allocated on entry to the method that declares what it captures.
    static void ApplyBands(double[] a, int n, int offset, double[] rows, double[] packed, int rest, int b, int[] bands) =>
        Parallel.For(0, bands.Length - 1, band => ApplyRows(a, n, offset, rows, packed, rest, b, bands[band], bands[band + 1]));

    // packed[(s·b + c)·width + k] = L21[s·width + k, c], zero past the last row
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void Pack(double[] rows, int rest, int b, double[] packed)
    {
        int width = 2 * Vector<double>.Count;
        for (int s = 0; s * width < rest; s++)
            for (int c = 0; c < b; c++)
            {
                int at = (s * b + c) * width;
                for (int k = 0; k < width; k++)
                {
                    int i = s * width + k;
                    packed[at + k] = i < rest ? rows[i * b + c] : 0;
                }
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void ApplyRows(double[] a, int n, int offset, double[] rows, double[] packed, int rest, int b, int fromTile, int toTile)
    {
        int w = Vector<double>.Count, width = 2 * w;
        Span<double> tile = stackalloc double[4 * width];
        ref double l = ref MemoryMarshal.GetArrayDataReference(rows);
        ref double lt = ref MemoryMarshal.GetArrayDataReference(packed);
        ref double target = ref MemoryMarshal.GetArrayDataReference(a);
        for (int t = fromTile; t < toTile; t++)
        {
            int i = 4 * t, height = Math.Min(4, rest - i);
            ref double l0 = ref Unsafe.Add(ref l, i * b);
            // rows past the end repeat the last row; their results are dropped
            ref double l1 = ref Unsafe.Add(ref l, Math.Min(i + 1, rest - 1) * b);
            ref double l2 = ref Unsafe.Add(ref l, Math.Min(i + 2, rest - 1) * b);
            ref double l3 = ref Unsafe.Add(ref l, Math.Min(i + 3, rest - 1) * b);
            for (int j = 0; j <= i + height - 1; j += width)
            {
                Vector<double> c00 = default, c01 = default, c10 = default, c11 = default;
                Vector<double> c20 = default, c21 = default, c30 = default, c31 = default;
                ref double strip = ref Unsafe.Add(ref lt, j * b); // strip j / width starts at (j / width)·b·width
                for (int c = 0; c < b; c++)
                {
                    var x0 = Vector.LoadUnsafe(ref strip, (nuint)(c * width));
                    var x1 = Vector.LoadUnsafe(ref strip, (nuint)(c * width + w));
                    var y = new Vector<double>(Unsafe.Add(ref l0, c));
                    c00 = Vector.FusedMultiplyAdd(y, x0, c00); c01 = Vector.FusedMultiplyAdd(y, x1, c01);
                    y = new Vector<double>(Unsafe.Add(ref l1, c));
                    c10 = Vector.FusedMultiplyAdd(y, x0, c10); c11 = Vector.FusedMultiplyAdd(y, x1, c11);
                    y = new Vector<double>(Unsafe.Add(ref l2, c));
                    c20 = Vector.FusedMultiplyAdd(y, x0, c20); c21 = Vector.FusedMultiplyAdd(y, x1, c21);
                    y = new Vector<double>(Unsafe.Add(ref l3, c));
                    c30 = Vector.FusedMultiplyAdd(y, x0, c30); c31 = Vector.FusedMultiplyAdd(y, x1, c31);
                }
                ref double row = ref Unsafe.Add(ref target, (offset + i) * n + offset + j);
                if (height == 4 && j + width - 1 <= i) // wholly below the diagonal
                {
                    Subtract(ref row, c00, c01, w);
                    Subtract(ref Unsafe.Add(ref row, n), c10, c11, w);
                    Subtract(ref Unsafe.Add(ref row, 2 * n), c20, c21, w);
                    Subtract(ref Unsafe.Add(ref row, 3 * n), c30, c31, w);
                    continue;
                }
                c00.CopyTo(tile); c01.CopyTo(tile[w..]);
                c10.CopyTo(tile[width..]); c11.CopyTo(tile[(width + w)..]);
                c20.CopyTo(tile[(2 * width)..]); c21.CopyTo(tile[(2 * width + w)..]);
                c30.CopyTo(tile[(3 * width)..]); c31.CopyTo(tile[(3 * width + w)..]);
                for (int r = 0; r < height; r++)
                    for (int k = 0; k < width && j + k <= i + r; k++)
                        Unsafe.Add(ref row, r * n + k) -= tile[r * width + k];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Subtract(ref double row, Vector<double> left, Vector<double> right, int w)
    {
        (Vector.LoadUnsafe(ref row) - left).StoreUnsafe(ref row);
        (Vector.LoadUnsafe(ref row, (nuint)w) - right).StoreUnsafe(ref row, (nuint)w);
    }
}
