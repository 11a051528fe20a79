using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// The two matrix products a dense layer needs, built from register-blocked micro-kernels (llm.c's matmul_forward
/// and BLIS's micro-kernel idea, in managed SIMD):
/// <list type="bullet">
/// <item><see cref="Multiply{TAct}"/>: z = A·B (+ bias, then the fused activation), B and z row-major. Each micro-kernel
/// keeps a 4-row × 3-vector tile of z in 12 registers while it walks the shared dimension, broadcasting one element
/// of A and loading one vector of B per multiply-add pair. Used for the forward pass (A = w) and for dx (A = wᵀ).</item>
/// <item><see cref="MultiplyTransposedAdd"/>: c += A·Bᵀ with both operands contiguous along the shared dimension
/// (the batch): a 4 × 3 tile of dot products in 12 vector accumulators (4 × 2 for the last one or two columns),
/// summed across lanes once at the end.
/// Used for dw += dz·xᵀ.</item>
/// </list>
/// Tails: a last partial vector of columns is computed as a full vector that overlaps the previous one (writing the
/// same values twice is harmless); a last partial vector of a dot product is loaded overlapping and its already
/// counted lanes zeroed; missing rows of a 4-row tile re-read the last row and are not stored. Widths below one
/// vector fall back to the same code at one lane (<see cref="ScalarOps{T}"/>).
/// The kernels are deliberately not AggressiveOptimization: that would keep them out of the ReadyToRun image and
/// make every process JIT them before its first step.
/// </summary>
public static class BlockedGemm<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    const int TileRows = 4;

    /// <summary>Below these sizes B is read in place; above, each 3-vector column panel of B is first copied to a
    /// contiguous buffer, so rows of a power-of-two stride do not all land in the same cache sets.</summary>
    const int PackMinDepth = 32, PackMinRows = 16;

    [ThreadStatic] static T[]? t_panel;

    // A (m, k): element (i, p) at a[i·ars + p·acs]; B (k, n) row stride n; bias (m) -> z (m, n) = A B + bias,
    // act (m, n) = f(z) when TAct writes it. z, act row stride n.
    public static void Multiply<TAct>(ref T a, nint ars, nint acs, ref T b, int k, int n, int m,
        ref T bias, bool hasBias, ref T z, ref T act) where TAct : struct, IFusedActivation<T>
    {
        if (m == 0 || n == 0) return;
        int v = TOps.Count;
        if (n < v)
        {
            BlockedGemm<T, T, ScalarOps<T>>.Multiply<TAct>(ref a, ars, acs, ref b, k, n, m, ref bias, hasBias, ref z, ref act);
            return;
        }
        int wide = 3 * v;
        int fullWide = n - n % wide;
        bool pack = k >= PackMinDepth && m >= PackMinRows && fullWide > 0;
        Span<T> panel = pack ? Panel(k * wide) : default;
        for (int j = 0; j < fullWide; j += wide)
        {
            ref T bj = ref Unsafe.Add(ref b, j);
            nint ldb = n;
            if (pack)
            {
                PackPanel(ref bj, n, k, panel);
                bj = ref MemoryMarshal.GetReference(panel);
                ldb = wide;
            }
            for (int i = 0; i < m; i += TileRows)
                Tile4x3<TAct>(ref Unsafe.Add(ref a, i * ars), ars, acs, Math.Min(TileRows, m - i), ref bj, ldb, k,
                    ref Unsafe.Add(ref bias, i), hasBias, ref Unsafe.Add(ref z, (nint)i * n + j), ref Unsafe.Add(ref act, (nint)i * n + j), n);
        }
        for (int j = fullWide; j < n; j += v)
        {
            int jj = Math.Min(j, n - v); // the last vector overlaps the one before it
            for (int i = 0; i < m; i += TileRows)
                Tile4x1<TAct>(ref Unsafe.Add(ref a, i * ars), ars, acs, Math.Min(TileRows, m - i), ref Unsafe.Add(ref b, jj), n, k,
                    ref Unsafe.Add(ref bias, i), hasBias, ref Unsafe.Add(ref z, (nint)i * n + jj), ref Unsafe.Add(ref act, (nint)i * n + jj), n);
        }
    }

    // c (m, nn) += A (m, k) · B (nn, k)ᵀ; A row stride lda, B row stride ldb, c row stride ldc.
    public static void MultiplyTransposedAdd(ref T a, nint lda, ref T b, nint ldb, int k, int m, int nn, ref T c, nint ldc)
    {
        if (m == 0 || nn == 0 || k == 0) return;
        if (k < TOps.Count)
        {
            BlockedGemm<T, T, ScalarOps<T>>.MultiplyTransposedAdd(ref a, lda, ref b, ldb, k, m, nn, ref c, ldc);
            return;
        }
        int fullWide = nn - nn % 3;
        for (int i = 0; i < m; i += TileRows)
        {
            ref T ai = ref Unsafe.Add(ref a, i * lda);
            int rows = Math.Min(TileRows, m - i);
            for (int j = 0; j < fullWide; j += 3)
                DotTile4x3(ref ai, lda, rows, ref Unsafe.Add(ref b, j * ldb), ldb, 3, k, ref Unsafe.Add(ref c, i * ldc + j), ldc);
            if (fullWide < nn) // one or two columns left
                DotTile4x2(ref ai, lda, rows, ref Unsafe.Add(ref b, fullWide * ldb), ldb, nn - fullWide, k, ref Unsafe.Add(ref c, i * ldc + fullWide), ldc);
        }
    }

    static void Tile4x3<TAct>(ref T a, nint ars, nint acs, int rows, ref T b, nint ldb, int k,
        ref T bias, bool hasBias, ref T z, ref T act, nint ldc) where TAct : struct, IFusedActivation<T>
    {
        nint v = TOps.Count;
        // Fields into locals: four row pointers into A (missing rows re-read the last one), 12 accumulators.
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, ars * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, ars * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, ars * Math.Min(3, rows - 1));
        TVec c00 = Start(ref bias, 0, rows, hasBias), c01 = c00, c02 = c00;
        TVec c10 = Start(ref bias, 1, rows, hasBias), c11 = c10, c12 = c10;
        TVec c20 = Start(ref bias, 2, rows, hasBias), c21 = c20, c22 = c20;
        TVec c30 = Start(ref bias, 3, rows, hasBias), c31 = c30, c32 = c30;
        nint pa = 0;
        ref T bp = ref b;
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v));
            TVec w = TOps.Broadcast(Unsafe.Add(ref a0, pa));
            c00 = TOps.MultiplyAdd(w, b0, c00); c01 = TOps.MultiplyAdd(w, b1, c01); c02 = TOps.MultiplyAdd(w, b2, c02);
            w = TOps.Broadcast(Unsafe.Add(ref a1, pa));
            c10 = TOps.MultiplyAdd(w, b0, c10); c11 = TOps.MultiplyAdd(w, b1, c11); c12 = TOps.MultiplyAdd(w, b2, c12);
            w = TOps.Broadcast(Unsafe.Add(ref a2, pa));
            c20 = TOps.MultiplyAdd(w, b0, c20); c21 = TOps.MultiplyAdd(w, b1, c21); c22 = TOps.MultiplyAdd(w, b2, c22);
            w = TOps.Broadcast(Unsafe.Add(ref a3, pa));
            c30 = TOps.MultiplyAdd(w, b0, c30); c31 = TOps.MultiplyAdd(w, b1, c31); c32 = TOps.MultiplyAdd(w, b2, c32);
            pa += acs;
            bp = ref Unsafe.Add(ref bp, ldb);
        }
        StoreRow<TAct>(c00, c01, c02, ref z, ref act);
        if (rows > 1) StoreRow<TAct>(c10, c11, c12, ref Unsafe.Add(ref z, ldc), ref Unsafe.Add(ref act, ldc));
        if (rows > 2) StoreRow<TAct>(c20, c21, c22, ref Unsafe.Add(ref z, 2 * ldc), ref Unsafe.Add(ref act, 2 * ldc));
        if (rows > 3) StoreRow<TAct>(c30, c31, c32, ref Unsafe.Add(ref z, 3 * ldc), ref Unsafe.Add(ref act, 3 * ldc));
    }

    static void Tile4x1<TAct>(ref T a, nint ars, nint acs, int rows, ref T b, nint ldb, int k,
        ref T bias, bool hasBias, ref T z, ref T act, nint ldc) where TAct : struct, IFusedActivation<T>
    {
        ref T a0 = ref a;
        ref T a1 = ref Unsafe.Add(ref a, ars * Math.Min(1, rows - 1));
        ref T a2 = ref Unsafe.Add(ref a, ars * Math.Min(2, rows - 1));
        ref T a3 = ref Unsafe.Add(ref a, ars * Math.Min(3, rows - 1));
        TVec c0 = Start(ref bias, 0, rows, hasBias), c1 = Start(ref bias, 1, rows, hasBias);
        TVec c2 = Start(ref bias, 2, rows, hasBias), c3 = Start(ref bias, 3, rows, hasBias);
        nint pa = 0;
        ref T bp = ref b;
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a0, pa)), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a1, pa)), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a2, pa)), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a3, pa)), b0, c3);
            pa += acs;
            bp = ref Unsafe.Add(ref bp, ldb);
        }
        Store<TAct>(c0, ref z, ref act);
        if (rows > 1) Store<TAct>(c1, ref Unsafe.Add(ref z, ldc), ref Unsafe.Add(ref act, ldc));
        if (rows > 2) Store<TAct>(c2, ref Unsafe.Add(ref z, 2 * ldc), ref Unsafe.Add(ref act, 2 * ldc));
        if (rows > 3) Store<TAct>(c3, ref Unsafe.Add(ref z, 3 * ldc), ref Unsafe.Add(ref act, 3 * ldc));
    }

    static void DotTile4x2(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
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

    static void DotTile4x3(ref T a, nint lda, int rows, ref T b, nint ldb, int cols, int k, ref T c, nint ldc)
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec Start(ref T bias, int row, int rows, bool hasBias) =>
        hasBias ? TOps.Broadcast(Unsafe.Add(ref bias, Math.Min(row, rows - 1))) : TOps.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store<TAct>(TVec c, ref T z, ref T act) where TAct : struct, IFusedActivation<T>
    {
        TOps.Store(c, ref z);
        if (TAct.WritesActivation) TOps.Store(TAct.Apply<TVec, TOps>(c), ref act);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void StoreRow<TAct>(TVec c0, TVec c1, TVec c2, ref T z, ref T act) where TAct : struct, IFusedActivation<T>
    {
        nint v = TOps.Count;
        Store<TAct>(c0, ref z, ref act);
        Store<TAct>(c1, ref Unsafe.Add(ref z, v), ref Unsafe.Add(ref act, v));
        Store<TAct>(c2, ref Unsafe.Add(ref z, 2 * v), ref Unsafe.Add(ref act, 2 * v));
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

    /// <summary>Copies B[0..k, 0..3v) (row stride ldb) into a contiguous panel of k rows of 3v.</summary>
    static void PackPanel(ref T b, nint ldb, int k, Span<T> panel)
    {
        nint v = TOps.Count;
        ref T dst = ref MemoryMarshal.GetReference(panel);
        for (int p = 0; p < k; p++)
        {
            TOps.Store(TOps.Load(ref b), ref dst);
            TOps.Store(TOps.Load(ref Unsafe.Add(ref b, v)), ref Unsafe.Add(ref dst, v));
            TOps.Store(TOps.Load(ref Unsafe.Add(ref b, 2 * v)), ref Unsafe.Add(ref dst, 2 * v));
            b = ref Unsafe.Add(ref b, ldb);
            dst = ref Unsafe.Add(ref dst, 3 * v);
        }
    }

    /// <summary>This thread's panel buffer; it grows on first use and is then reused, so steps allocate nothing.</summary>
    static Span<T> Panel(int length)
    {
        if (t_panel is null || t_panel.Length < length) t_panel = new T[Math.Max(length, 1024)];
        return t_panel.AsSpan(0, length);
    }
}
