using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The tiles of dot products of <see cref="BlockedGemm{T, TVec, TOps}.MultiplyTransposedAdd"/> for a width with 32
/// vector registers (<see cref="ISimdOps{TVec, T}.ManyRegisters"/>): 8 rows × 3 columns (24 accumulators, 11 loads
/// for 24 multiply-adds, against 7 for 12 in <see cref="DotTiles{T, TVec, TOps}"/>' 4 × 3), and 10 rows × 2 columns
/// for row counts that are multiples of 5. Missing rows and columns re-read the last one and are not stored. Each
/// accumulator sums the same lanes in the same order as in the smaller tiles: the shape changes no result.
/// </summary>
internal static class DotTilesWide<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    public static void DotTile8x3(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
    {
        nint v = TOps.Count;
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, lda * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, lda * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, lda * Math.Min(3, rows - 1));
        ref T a4 = ref Unsafe.Add(ref a, lda * Math.Min(4, rows - 1));
        ref T a5 = ref Unsafe.Add(ref a, lda * Math.Min(5, rows - 1));
        ref T a6 = ref Unsafe.Add(ref a, lda * Math.Min(6, rows - 1));
        ref T a7 = ref Unsafe.Add(ref a, lda * Math.Min(7, rows - 1));
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb * Math.Min(1, cols - 1));
        ref T b2 = ref Unsafe.Add(ref b, ldb * Math.Min(2, cols - 1));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c02 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c12 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero, c22 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero, c32 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c42 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero, c52 = TOps.Zero, c60 = TOps.Zero, c61 = TOps.Zero, c62 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero, c72 = TOps.Zero;
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
            g = TOps.Load(ref Unsafe.Add(ref a4, p));
            c40 = TOps.MultiplyAdd(g, x0, c40); c41 = TOps.MultiplyAdd(g, x1, c41); c42 = TOps.MultiplyAdd(g, x2, c42);
            g = TOps.Load(ref Unsafe.Add(ref a5, p));
            c50 = TOps.MultiplyAdd(g, x0, c50); c51 = TOps.MultiplyAdd(g, x1, c51); c52 = TOps.MultiplyAdd(g, x2, c52);
            g = TOps.Load(ref Unsafe.Add(ref a6, p));
            c60 = TOps.MultiplyAdd(g, x0, c60); c61 = TOps.MultiplyAdd(g, x1, c61); c62 = TOps.MultiplyAdd(g, x2, c62);
            g = TOps.Load(ref Unsafe.Add(ref a7, p));
            c70 = TOps.MultiplyAdd(g, x0, c70); c71 = TOps.MultiplyAdd(g, x1, c71); c72 = TOps.MultiplyAdd(g, x2, c72);
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
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a4, p)), seen);
            c40 = TOps.MultiplyAdd(g, x0, c40); c41 = TOps.MultiplyAdd(g, x1, c41); c42 = TOps.MultiplyAdd(g, x2, c42);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a5, p)), seen);
            c50 = TOps.MultiplyAdd(g, x0, c50); c51 = TOps.MultiplyAdd(g, x1, c51); c52 = TOps.MultiplyAdd(g, x2, c52);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a6, p)), seen);
            c60 = TOps.MultiplyAdd(g, x0, c60); c61 = TOps.MultiplyAdd(g, x1, c61); c62 = TOps.MultiplyAdd(g, x2, c62);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a7, p)), seen);
            c70 = TOps.MultiplyAdd(g, x0, c70); c71 = TOps.MultiplyAdd(g, x1, c71); c72 = TOps.MultiplyAdd(g, x2, c72);
        }
        AddRow(c00, c01, c02, cols, ref c);
        if (rows > 1) AddRow(c10, c11, c12, cols, ref Unsafe.Add(ref c, ldc));
        if (rows > 2) AddRow(c20, c21, c22, cols, ref Unsafe.Add(ref c, 2 * ldc));
        if (rows > 3) AddRow(c30, c31, c32, cols, ref Unsafe.Add(ref c, 3 * ldc));
        if (rows > 4) AddRow(c40, c41, c42, cols, ref Unsafe.Add(ref c, 4 * ldc));
        if (rows > 5) AddRow(c50, c51, c52, cols, ref Unsafe.Add(ref c, 5 * ldc));
        if (rows > 6) AddRow(c60, c61, c62, cols, ref Unsafe.Add(ref c, 6 * ldc));
        if (rows > 7) AddRow(c70, c71, c72, cols, ref Unsafe.Add(ref c, 7 * ldc));
    }

    public static void DotTile10x2(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
    {
        nint v = TOps.Count;
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, lda * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, lda * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, lda * Math.Min(3, rows - 1));
        ref T a4 = ref Unsafe.Add(ref a, lda * Math.Min(4, rows - 1));
        ref T a5 = ref Unsafe.Add(ref a, lda * Math.Min(5, rows - 1));
        ref T a6 = ref Unsafe.Add(ref a, lda * Math.Min(6, rows - 1));
        ref T a7 = ref Unsafe.Add(ref a, lda * Math.Min(7, rows - 1));
        ref T a8 = ref Unsafe.Add(ref a, lda * Math.Min(8, rows - 1));
        ref T a9 = ref Unsafe.Add(ref a, lda * Math.Min(9, rows - 1));
        ref T b0 = ref b;
        ref T b1 = ref Unsafe.Add(ref b, ldb * Math.Min(1, cols - 1));
        TVec c00 = TOps.Zero, c01 = TOps.Zero, c10 = TOps.Zero, c11 = TOps.Zero, c20 = TOps.Zero, c21 = TOps.Zero, c30 = TOps.Zero, c31 = TOps.Zero, c40 = TOps.Zero, c41 = TOps.Zero, c50 = TOps.Zero, c51 = TOps.Zero, c60 = TOps.Zero, c61 = TOps.Zero, c70 = TOps.Zero, c71 = TOps.Zero, c80 = TOps.Zero, c81 = TOps.Zero, c90 = TOps.Zero, c91 = TOps.Zero;
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
            g = TOps.Load(ref Unsafe.Add(ref a5, p));
            c50 = TOps.MultiplyAdd(g, x0, c50); c51 = TOps.MultiplyAdd(g, x1, c51);
            g = TOps.Load(ref Unsafe.Add(ref a6, p));
            c60 = TOps.MultiplyAdd(g, x0, c60); c61 = TOps.MultiplyAdd(g, x1, c61);
            g = TOps.Load(ref Unsafe.Add(ref a7, p));
            c70 = TOps.MultiplyAdd(g, x0, c70); c71 = TOps.MultiplyAdd(g, x1, c71);
            g = TOps.Load(ref Unsafe.Add(ref a8, p));
            c80 = TOps.MultiplyAdd(g, x0, c80); c81 = TOps.MultiplyAdd(g, x1, c81);
            g = TOps.Load(ref Unsafe.Add(ref a9, p));
            c90 = TOps.MultiplyAdd(g, x0, c90); c91 = TOps.MultiplyAdd(g, x1, c91);
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
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a5, p)), seen);
            c50 = TOps.MultiplyAdd(g, x0, c50); c51 = TOps.MultiplyAdd(g, x1, c51);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a6, p)), seen);
            c60 = TOps.MultiplyAdd(g, x0, c60); c61 = TOps.MultiplyAdd(g, x1, c61);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a7, p)), seen);
            c70 = TOps.MultiplyAdd(g, x0, c70); c71 = TOps.MultiplyAdd(g, x1, c71);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a8, p)), seen);
            c80 = TOps.MultiplyAdd(g, x0, c80); c81 = TOps.MultiplyAdd(g, x1, c81);
            g = TOps.ZeroFirst(TOps.Load(ref Unsafe.Add(ref a9, p)), seen);
            c90 = TOps.MultiplyAdd(g, x0, c90); c91 = TOps.MultiplyAdd(g, x1, c91);
        }
        AddRow(c00, c01, cols, ref c);
        if (rows > 1) AddRow(c10, c11, cols, ref Unsafe.Add(ref c, ldc));
        if (rows > 2) AddRow(c20, c21, cols, ref Unsafe.Add(ref c, 2 * ldc));
        if (rows > 3) AddRow(c30, c31, cols, ref Unsafe.Add(ref c, 3 * ldc));
        if (rows > 4) AddRow(c40, c41, cols, ref Unsafe.Add(ref c, 4 * ldc));
        if (rows > 5) AddRow(c50, c51, cols, ref Unsafe.Add(ref c, 5 * ldc));
        if (rows > 6) AddRow(c60, c61, cols, ref Unsafe.Add(ref c, 6 * ldc));
        if (rows > 7) AddRow(c70, c71, cols, ref Unsafe.Add(ref c, 7 * ldc));
        if (rows > 8) AddRow(c80, c81, cols, ref Unsafe.Add(ref c, 8 * ldc));
        if (rows > 9) AddRow(c90, c91, cols, ref Unsafe.Add(ref c, 9 * ldc));
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
