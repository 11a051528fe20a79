using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The micro-kernels of <see cref="BlockedGemm{T, TVec, TOps}.MultiplyTransposedAdd"/>: a tile of dot products
/// c += A·Bᵀ along the batch, each in its own vector accumulator, summed across lanes once at the end. Shapes:
/// 4 rows × 3 columns (× 2 for the last one or two columns), and 5 rows × 2 columns for row counts that are
/// multiples of 5. Missing rows and columns re-read the last one and are not stored.
/// </summary>
internal static class DotTiles<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    public static void DotTile4x2(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
    {
        nint v = TOps.Count;
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, lda * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, lda * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, lda * Math.Min(3, rows - 1));
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb * Math.Min(1, cols - 1));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero;
        nint end = k - k % v;
        for (nint p = 0; p < end; p += v)
        {
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p));
            TVec g = TOps.Load(ref Unsafe.Add(ref a0, p));
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01);
            g = TOps.Load(ref Unsafe.Add(ref a1, p));
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11);
            g = TOps.Load(ref Unsafe.Add(ref a2, p));
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21);
            g = TOps.Load(ref Unsafe.Add(ref a3, p));
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31);
        }
        if (end < k)
        {
            // The last vector ends at k and overlaps lanes already summed: zero those lanes of A's rows.
            nint p = k - v;
            int seen = (int)(end - p);
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p));
            TVec g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a0, p)), seen);
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a1, p)), seen);
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a2, p)), seen);
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a3, p)), seen);
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31);
        }
        AddRow(c00, c01, cols, ref c);
        if (rows > 1) AddRow(c10, c11, cols, ref Unsafe.Add(ref c, ldc));
        if (rows > 2) AddRow(c20, c21, cols, ref Unsafe.Add(ref c, 2 * ldc));
        if (rows > 3) AddRow(c30, c31, cols, ref Unsafe.Add(ref c, 3 * ldc));
    }

    public static void DotTile4x3(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
    {
        nint v = TOps.Count;
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, lda * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, lda * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, lda * Math.Min(3, rows - 1));
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb * Math.Min(1, cols - 1));
        ref T b2 = ref Unsafe.Add(ref b, ldb * Math.Min(2, cols - 1));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero;
        TVec c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero;
        nint end = k - k % v;
        for (nint p = 0; p < end; p += v)
        {
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p)), x2 = TOps.Load(ref Unsafe.Add(ref b2, p));
            TVec g = TOps.Load(ref Unsafe.Add(ref a0, p));
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01); c02 = TOps.MultiplyAdd(g, x2, c02);
            g = TOps.Load(ref Unsafe.Add(ref a1, p));
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11); c12 = TOps.MultiplyAdd(g, x2, c12);
            g = TOps.Load(ref Unsafe.Add(ref a2, p));
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21); c22 = TOps.MultiplyAdd(g, x2, c22);
            g = TOps.Load(ref Unsafe.Add(ref a3, p));
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31); c32 = TOps.MultiplyAdd(g, x2, c32);
        }
        if (end < k)
        {
            // The last vector ends at k and overlaps lanes already summed: zero those lanes of A's rows.
            nint p = k - v;
            int seen = (int)(end - p);
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p)), x2 = TOps.Load(ref Unsafe.Add(ref b2, p));
            TVec g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a0, p)), seen);
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01); c02 = TOps.MultiplyAdd(g, x2, c02);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a1, p)), seen);
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11); c12 = TOps.MultiplyAdd(g, x2, c12);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a2, p)), seen);
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21); c22 = TOps.MultiplyAdd(g, x2, c22);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a3, p)), seen);
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31); c32 = TOps.MultiplyAdd(g, x2, c32);
        }
        AddRow(c00, c01, c02, cols, ref c);
        if (rows > 1) AddRow(c10, c11, c12, cols, ref Unsafe.Add(ref c, ldc));
        if (rows > 2) AddRow(c20, c21, c22, cols, ref Unsafe.Add(ref c, 2 * ldc));
        if (rows > 3) AddRow(c30, c31, c32, cols, ref Unsafe.Add(ref c, 3 * ldc));
    }

    public static void DotTile5x2(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
    {
        nint v = TOps.Count;
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, lda * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, lda * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, lda * Math.Min(3, rows - 1));
        ref T a4 = ref Unsafe.Add(ref a, lda * Math.Min(4, rows - 1));
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb * Math.Min(1, cols - 1));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero;
        TVec c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero;
        nint end = k - k % v;
        for (nint p = 0; p < end; p += v)
        {
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p));
            TVec g = TOps.Load(ref Unsafe.Add(ref a0, p));
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01);
            g = TOps.Load(ref Unsafe.Add(ref a1, p));
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11);
            g = TOps.Load(ref Unsafe.Add(ref a2, p));
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21);
            g = TOps.Load(ref Unsafe.Add(ref a3, p));
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31);
            g = TOps.Load(ref Unsafe.Add(ref a4, p));
            c40 = TOps.MultiplyAdd(g, x0, c40); c41 = TOps.MultiplyAdd(g, x1, c41);
        }
        if (end < k)
        {
            // The last vector ends at k and overlaps lanes already summed: zero those lanes of A's rows.
            nint p = k - v;
            int seen = (int)(end - p);
            TVec x0 = TOps.Load(ref Unsafe.Add(ref b0, p)), x1 = TOps.Load(ref Unsafe.Add(ref b1, p));
            TVec g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a0, p)), seen);
            c00 = TOps.MultiplyAdd(g, x0, c00); c01 = TOps.MultiplyAdd(g, x1, c01);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a1, p)), seen);
            c10 = TOps.MultiplyAdd(g, x0, c10); c11 = TOps.MultiplyAdd(g, x1, c11);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a2, p)), seen);
            c20 = TOps.MultiplyAdd(g, x0, c20); c21 = TOps.MultiplyAdd(g, x1, c21);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a3, p)), seen);
            c30 = TOps.MultiplyAdd(g, x0, c30); c31 = TOps.MultiplyAdd(g, x1, c31);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a4, p)), seen);
            c40 = TOps.MultiplyAdd(g, x0, c40); c41 = TOps.MultiplyAdd(g, x1, c41);
        }
        AddRow(c00, c01, cols, ref c);
        if (rows > 1) AddRow(c10, c11, cols, ref Unsafe.Add(ref c, ldc));
        if (rows > 2) AddRow(c20, c21, cols, ref Unsafe.Add(ref c, 2 * ldc));
        if (rows > 3) AddRow(c30, c31, cols, ref Unsafe.Add(ref c, 3 * ldc));
        if (rows > 4) AddRow(c40, c41, cols, ref Unsafe.Add(ref c, 4 * ldc));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddRow(TVec c0, TVec c1, TVec c2, int cols, ref T c)
    {
        c += TOps.Sum(c0);
        if (cols > 1) Unsafe.Add(ref c, 1) += TOps.Sum(c1);
        if (cols > 2) Unsafe.Add(ref c, 2) += TOps.Sum(c2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void AddRow(TVec c0, TVec c1, int cols, ref T c)
    {
        c += TOps.Sum(c0);
        if (cols > 1) Unsafe.Add(ref c, 1) += TOps.Sum(c1);
    }
}
