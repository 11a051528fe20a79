using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// The two matrix products a dense layer needs, built from register-blocked micro-kernels (llm.c's matmul_forward
/// and BLIS's micro-kernel idea, in managed SIMD):
/// <list type="bullet">
/// <item><see cref="Multiply{TSink}"/>: z = A·B (+ bias), B row-major, each finished tile handed to a sink while it
/// is in registers (<see cref="GemmTiles{T, TVec, TOps}"/>, <see cref="ITileSink{TVec}"/>): the forward pass
/// (A = w; the sink adds the activation) and dx (A = wᵀ; the sink may apply the layer below's derivative).</item>
/// <item><see cref="MultiplyTransposedAdd"/>: c += A·Bᵀ with both operands contiguous along the shared dimension
/// (the batch), in tiles of dot products (<see cref="DotTiles{T, TVec, TOps}"/>). Used for dw += dz·xᵀ.</item>
/// </list>
/// Each product picks the tile shape that costs least for its row count: 4-row tiles, or 5-row ones when 4-row
/// tiles would compute many rows in vain (10 rows: 12). Tails: a last partial vector of columns is computed as a full vector that
/// overlaps the previous one (the sink is told how many lanes it has seen); a last partial vector of a dot
/// product is loaded overlapping and its already counted lanes zeroed. Both products need at least one vector
/// of columns (n, k ≥ lanes); narrower batches use the one-lane instance (<see cref="ScalarOps{T}"/>).
/// The kernels are deliberately not AggressiveOptimization: they are generic over Vector256 and so outside the
/// ReadyToRun image anyway, and compiling them fully on first call made start to first step ~35 ms slower than
/// running that step in tier-0 code (measured on the question's network).
/// </summary>
public static class BlockedGemm<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    /// <summary>Below these sizes B is read in place; above, each column panel of B is first copied to a
    /// contiguous buffer, so rows of a power-of-two stride do not all land in the same cache sets.</summary>
    const int PackMinDepth = 32, PackMinRows = 16;

    /// <summary>A B no larger than this (bytes) is swept once per row tile rather than once per column panel.</summary>
    const int RowsOuterMaxBytes = 24 * 1024;

    [ThreadStatic] static T[]? t_panel, t_rows;

    /// <summary>
    /// True when 5 × 2 tiles cover m rows at less cost than 4 × 3 ones, counting the rows computed in vain and the
    /// 5 × 2 tile's ~10 % lower speed (10 accumulators hide the multiply-add latency less well than 12; measured on
    /// the question's layers: 4 × 3 wins for 50 rows, 5 × 2 for 10).
    /// </summary>
    public static bool FiveRows(int m) => RoundUp(m, 5) * 11 < RoundUp(m, 4) * 10;

    // A (m, k): element (i, p) at a[i·ars + p·acs]; B (k, n) row stride n; bias (m) -> z (m, n) = A B + bias,
    // delivered to the sink tile by tile. Needs n ≥ TOps.Count.
    public static void Multiply<TSink>(ref T a, nint ars, nint acs, ref T b, int k, int n, int m,
        ref T bias, bool hasBias, ref TSink sink) where TSink : ITileSink<TVec>, allows ref struct
    {
        if (m == 0 || n == 0) return;
        int v = TOps.Count;
        if (n < v) throw new ArgumentException($"a product needs at least {v} columns at this width, got {n}");
        bool five = FiveRows(m);
        int rowsPerTile = five ? 5 : 4, wide = (five ? 2 : 3) * v;
        int fullWide = n - n % wide;
        bool pack = k >= PackMinDepth && m >= PackMinRows && fullWide > 0;
        Span<T> panel = pack ? Buffer(ref t_panel, k * wide) : default;
        int tiles = (m + rowsPerTile - 1) / rowsPerTile, tileSize = rowsPerTile * k;
        Span<T> packedRows = Buffer(ref t_rows, tiles * tileSize);
        PackRows(ref a, ars, acs, m, k, rowsPerTile, packedRows);
        ref T ap = ref MemoryMarshal.GetReference(packedRows);
        if ((long)k * n * Unsafe.SizeOf<T>() <= RowsOuterMaxBytes)
        {
            // B stays in the L1 cache: sweep it once per row tile, so the sink's rows are written (and read) as a
            // few sequential streams instead of one per row of the product.
            for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
            {
                int rows = Math.Min(rowsPerTile, m - i);
                ref T ai = ref Unsafe.Add(ref ap, t * tileSize);
                for (int j = 0; j < fullWide; j += wide)
                    Wide(five, ref ai, rows, ref Unsafe.Add(ref b, j), n, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, j);
                for (int j = fullWide; j < n; j += v)
                {
                    int jj = Math.Min(j, n - v); // the last vector overlaps the one before it
                    Narrow(five, ref ai, rows, ref Unsafe.Add(ref b, jj), n, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, jj, j - jj);
                }
            }
            return;
        }
        for (int j = 0; j < fullWide; j += wide)
        {
            ref T bj = ref Unsafe.Add(ref b, j);
            nint ldb = n;
            if (pack)
            {
                PackPanel(ref bj, n, k, wide, panel);
                bj = ref MemoryMarshal.GetReference(panel);
                ldb = wide;
            }
            for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
                Wide(five, ref Unsafe.Add(ref ap, t * tileSize), Math.Min(rowsPerTile, m - i), ref bj, ldb, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, j);
        }
        for (int j = fullWide; j < n; j += v)
        {
            int jj = Math.Min(j, n - v); // the last vector overlaps the one before it
            for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
                Narrow(five, ref Unsafe.Add(ref ap, t * tileSize), Math.Min(rowsPerTile, m - i), ref Unsafe.Add(ref b, jj), n, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, jj, j - jj);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Wide<TSink>(bool five, ref T a, int rows, ref T b, nint ldb, int k, ref T bias, bool hasBias, ref TSink sink, nint row, nint col)
        where TSink : ITileSink<TVec>, allows ref struct
    {
        if (five) GemmTiles<T, TVec, TOps>.Tile5x2(ref a, rows, ref b, ldb, k, ref bias, hasBias, ref sink, row, col);
        else GemmTiles<T, TVec, TOps>.Tile4x3(ref a, rows, ref b, ldb, k, ref bias, hasBias, ref sink, row, col);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Narrow<TSink>(bool five, ref T a, int rows, ref T b, nint ldb, int k, ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen)
        where TSink : ITileSink<TVec>, allows ref struct
    {
        if (five) GemmTiles<T, TVec, TOps>.Tile5x1(ref a, rows, ref b, ldb, k, ref bias, hasBias, ref sink, row, col, seen);
        else GemmTiles<T, TVec, TOps>.Tile4x1(ref a, rows, ref b, ldb, k, ref bias, hasBias, ref sink, row, col, seen);
    }

    // c (m, nn) += A (m, k) · B (nn, k)ᵀ; A row stride lda, B row stride ldb, c row stride ldc. Needs k ≥ TOps.Count.
    public static void MultiplyTransposedAdd(ref T a, nint lda, ref T b, nint ldb, int k, int m, int nn, ref T c, nint ldc)
    {
        if (m == 0 || nn == 0 || k == 0) return;
        if (k < TOps.Count) throw new ArgumentException($"a dot product needs at least {TOps.Count} elements at this width, got {k}");
        if (m == 1 && nn > 1)
        {
            // One row of c is also one column (stride 1): swap the operands so the tiles' rows are not three-quarters empty.
            MultiplyTransposedAdd(ref b, ldb, ref a, lda, k, nn, 1, ref c, 1);
            return;
        }
        if (RoundUp(m, 5) * RoundUp(nn, 2) < RoundUp(m, 4) * RoundUp(nn, 3))
        {
            for (int i = 0; i < m; i += 5)
                for (int j = 0; j < nn; j += 2)
                    DotTiles<T, TVec, TOps>.DotTile5x2(ref Unsafe.Add(ref a, i * lda), lda, Math.Min(5, m - i),
                        ref Unsafe.Add(ref b, j * ldb), ldb, Math.Min(2, nn - j), k, ref Unsafe.Add(ref c, i * ldc + j), ldc);
            return;
        }
        int fullWide = nn - nn % 3;
        for (int i = 0; i < m; i += 4)
        {
            ref T ai = ref Unsafe.Add(ref a, i * lda);
            int rows = Math.Min(4, m - i);
            for (int j = 0; j < fullWide; j += 3)
                DotTiles<T, TVec, TOps>.DotTile4x3(ref ai, lda, rows, ref Unsafe.Add(ref b, j * ldb), ldb, 3, k, ref Unsafe.Add(ref c, i * ldc + j), ldc);
            if (fullWide < nn) // one or two columns left
                DotTiles<T, TVec, TOps>.DotTile4x2(ref ai, lda, rows, ref Unsafe.Add(ref b, fullWide * ldb), ldb, nn - fullWide, k, ref Unsafe.Add(ref c, i * ldc + fullWide), ldc);
        }
    }

    static int RoundUp(int count, int step) => (count + step - 1) / step * step;

    /// <summary>Copies B[0..k, 0..width) (row stride ldb; width a whole number of vectors) into a contiguous panel.</summary>
    static void PackPanel(ref T b, nint ldb, int k, int width, Span<T> panel)
    {
        nint v = TOps.Count;
        ref T dst = ref MemoryMarshal.GetReference(panel);
        for (int p = 0; p < k; p++)
        {
            for (nint c = 0; c < width; c += v) TOps.Store(TOps.Load(ref Unsafe.Add(ref b, c)), ref Unsafe.Add(ref dst, c));
            b = ref Unsafe.Add(ref b, ldb);
            dst = ref Unsafe.Add(ref dst, width);
        }
    }

    /// <summary>
    /// Copies A (m, k) tile by tile, each tile's R rows interleaved p-major ((p, r) at p·R + r), so a micro-kernel
    /// walks its rows with one pointer; a last partial tile repeats its last row.
    /// </summary>
    static void PackRows(ref T a, nint ars, nint acs, int m, int k, int rowsPerTile, Span<T> packed)
    {
        ref T tile = ref MemoryMarshal.GetReference(packed);
        for (int i = 0; i < m; i += rowsPerTile)
        {
            for (int r = 0; r < rowsPerTile; r++)
            {
                ref T src = ref Unsafe.Add(ref a, Math.Min(i + r, m - 1) * ars);
                ref T dst = ref Unsafe.Add(ref tile, r);
                for (int p = 0; p < k; p++) Unsafe.Add(ref dst, p * rowsPerTile) = Unsafe.Add(ref src, p * acs);
            }
            tile = ref Unsafe.Add(ref tile, rowsPerTile * k);
        }
    }

    /// <summary>A thread's work buffer: it grows on first use and is then reused, so steps allocate nothing.</summary>
    static Span<T> Buffer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[Math.Max(length, 1024)];
        return buffer.AsSpan(0, length);
    }
}
