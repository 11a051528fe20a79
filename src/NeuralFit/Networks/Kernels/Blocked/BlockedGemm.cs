using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

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
internal static class BlockedGemm<T, TVec, TOps>
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
    [ThreadStatic] static int[]? t_live;

    /// <summary>
    /// True when 5 × 2 tiles cover m rows at less cost than 4 × 3 ones, counting the rows computed in vain and the
    /// 5 × 2 tile's ~10 % lower speed (10 accumulators hide the multiply-add latency less well than 12; measured on
    /// the question's layers: 4 × 3 wins for 50 rows, 5 × 2 for 10). With 32 registers the same rule on 10 × 2 and
    /// 8 × 3 tiles (20 and 24 accumulators: the same ratio of latency hidden, twice the rows).
    /// </summary>
    public static bool FiveRows(int m) => TOps.ManyRegisters ? RoundUp(m, 10) * 11 < RoundUp(m, 8) * 10 : RoundUp(m, 5) * 11 < RoundUp(m, 4) * 10;

    /// <summary>Rows of a tile: 4 or 5 with 16 vector registers, 8 or 10 with 32 (<see cref="GemmTilesWide{T, TVec, TOps}"/>).</summary>
    static int TileRows(bool five) => (five ? 5 : 4) * (TOps.ManyRegisters ? 2 : 1);

    // A (m, k): element (i, p) at a[i·ars + p·acs]; B (k, n) row stride n; bias (m) -> z (m, n) = A B + bias,
    // delivered to the sink tile by tile. Needs n ≥ TOps.Count.
    public static void Multiply<TSink>(ref T a, nint ars, nint acs, ref T b, int k, int n, int m,
        ref T bias, bool hasBias, ref TSink sink) where TSink : ITileSink<TVec>, allows ref struct
    {
        if (m == 0 || n == 0) return;
        if (n < TOps.Count) throw new ArgumentException($"a product needs at least {TOps.Count} columns at this width, got {n}");
        if (m == 1 && !FiveRows(1)) // one row: its own kernel, with the tiles' sums and sink calls (three vectors wide)
        {
            OneRowProduct<T, TVec, TOps>.Multiply(ref a, acs, ref b, k, n, hasBias ? bias : T.Zero, ref sink);
            return;
        }
        bool five = FiveRows(m);
        int rowsPerTile = TileRows(five);
        Span<int> live = default;
        if (k > 1 && m > 1)
        {
            // Rows of B that are zero throughout add nothing (units of a ReLU layer off over the whole batch): the
            // micro-kernels then walk only the others. (The list keeps a spare entry: see ListedRows.)
            var rows = Ints(ref t_live, k + 1);
            int kLive = LiveRows(ref b, k, n, rows);
            if (kLive < k)
            {
                rows[kLive] = 0;
                live = rows[..kLive];
                k = kLive;
            }
        }
        int tiles = (m + rowsPerTile - 1) / rowsPerTile, tileSize = rowsPerTile * k;
        Span<T> packedRows = Buffer(ref t_rows, tiles * tileSize);
        PackRows(ref a, ars, acs, m, k, rowsPerTile, packedRows, live);
        ref T ap = ref MemoryMarshal.GetReference(packedRows);
        if (live.IsEmpty) Sweep<TSink, EveryRow>(ref ap, ref b, ref Unsafe.NullRef<int>(), k, n, m, five, ref bias, hasBias, ref sink);
        else Sweep<TSink, ListedRows>(ref ap, ref b, ref MemoryMarshal.GetReference(live), k, n, m, five, ref bias, hasBias, ref sink);
    }

    // The tiles of z = A B over the packed rows of A (k columns: B's rows walked by TWalk).
    static void Sweep<TSink, TWalk>(ref T ap, ref T b, ref int liveRows, int k, int n, int m, bool five,
        ref T bias, bool hasBias, ref TSink sink) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        int v = TOps.Count;
        int rowsPerTile = TileRows(five), wide = (five ? 2 : 3) * v, tileSize = rowsPerTile * k;
        int fullWide = n - n % wide;
        if ((long)k * n * Unsafe.SizeOf<T>() <= RowsOuterMaxBytes)
        {
            // B stays in the L1 cache: sweep it once per row tile, so the sink's rows are written (and read) as a
            // few sequential streams instead of one per row of the product.
            for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
            {
                int rows = Math.Min(rowsPerTile, m - i);
                ref T ai = ref Unsafe.Add(ref ap, t * tileSize);
                for (int j = 0; j < fullWide; j += wide)
                    Wide<TSink, TWalk>(five, ref ai, rows, ref Unsafe.Add(ref b, j), n, ref liveRows, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, j);
                for (int j = fullWide; j < n; j += v)
                {
                    int jj = Math.Min(j, n - v); // the last vector overlaps the one before it
                    Narrow<TSink, TWalk>(five, ref ai, rows, ref Unsafe.Add(ref b, jj), n, ref liveRows, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, jj, j - jj);
                }
            }
            return;
        }
        bool pack = k >= PackMinDepth && m >= PackMinRows && fullWide > 0;
        Span<T> panel = pack ? Buffer(ref t_panel, k * wide) : default;
        for (int j = 0; j < fullWide; j += wide)
        {
            if (pack)
            {
                PackPanel<TWalk>(ref Unsafe.Add(ref b, j), n, ref liveRows, k, wide, panel);
                ref T panelStart = ref MemoryMarshal.GetReference(panel);
                for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
                    Wide<TSink, EveryRow>(five, ref Unsafe.Add(ref ap, t * tileSize), Math.Min(rowsPerTile, m - i), ref panelStart, wide,
                        ref liveRows, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, j);
            }
            else
                for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
                    Wide<TSink, TWalk>(five, ref Unsafe.Add(ref ap, t * tileSize), Math.Min(rowsPerTile, m - i), ref Unsafe.Add(ref b, j), n,
                        ref liveRows, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, j);
        }
        for (int j = fullWide; j < n; j += v)
        {
            int jj = Math.Min(j, n - v); // the last vector overlaps the one before it
            for (int i = 0, t = 0; i < m; i += rowsPerTile, t++)
                Narrow<TSink, TWalk>(five, ref Unsafe.Add(ref ap, t * tileSize), Math.Min(rowsPerTile, m - i), ref Unsafe.Add(ref b, jj), n,
                    ref liveRows, k, ref Unsafe.Add(ref bias, i), hasBias, ref sink, i, jj, j - jj);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Wide<TSink, TWalk>(bool five, ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k, ref T bias, bool hasBias, ref TSink sink, nint row, nint col)
        where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        if (TOps.ManyRegisters)
        {
            if (five) GemmTilesWide<T, TVec, TOps>.Tile10x2<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col);
            else GemmTilesWide<T, TVec, TOps>.Tile8x3<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col);
        }
        else if (five) GemmTiles<T, TVec, TOps>.Tile5x2<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col);
        else GemmTiles<T, TVec, TOps>.Tile4x3<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Narrow<TSink, TWalk>(bool five, ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k, ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen)
        where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        if (TOps.ManyRegisters)
        {
            if (five) GemmTilesWide<T, TVec, TOps>.Tile10x1<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col, seen);
            else GemmTilesWide<T, TVec, TOps>.Tile8x1<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col, seen);
        }
        else if (five) GemmTiles<T, TVec, TOps>.Tile5x1<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col, seen);
        else GemmTiles<T, TVec, TOps>.Tile4x1<TSink, TWalk>(ref a, rows, ref b, ldb, ref liveRows, k, ref bias, hasBias, ref sink, row, col, seen);
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
        if (TOps.ManyRegisters)
        {
            bool ten = RoundUp(m, 10) * RoundUp(nn, 2) < RoundUp(m, 8) * RoundUp(nn, 3);
            int tileRows = ten ? 10 : 8, tileCols = ten ? 2 : 3;
            for (int i = 0; i < m; i += tileRows)
                for (int j = 0; j < nn; j += tileCols)
                {
                    ref T ai = ref Unsafe.Add(ref a, i * lda);
                    ref T bj = ref Unsafe.Add(ref b, j * ldb);
                    ref T cij = ref Unsafe.Add(ref c, i * ldc + j);
                    if (ten) DotTilesWide<T, TVec, TOps>.DotTile10x2(ref ai, lda, Math.Min(10, m - i), ref bj, ldb, Math.Min(2, nn - j), k, ref cij, ldc);
                    else DotTilesWide<T, TVec, TOps>.DotTile8x3(ref ai, lda, Math.Min(8, m - i), ref bj, ldb, Math.Min(3, nn - j), k, ref cij, ldc);
                }
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

    /// <summary>Copies the rows of B (row stride ldb) that TWalk visits, columns [0, width) (whole vectors), into a
    /// contiguous panel.</summary>
    static void PackPanel<TWalk>(ref T b, nint ldb, ref int liveRows, int k, int width, Span<T> panel) where TWalk : struct, IRowWalk
    {
        nint v = TOps.Count;
        ref T dst = ref MemoryMarshal.GetReference(panel);
        ref T src = ref TWalk.First(ref b, ldb, ref liveRows);
        for (int p = 0; p < k; p++)
        {
            for (nint c = 0; c < width; c += v) TOps.Store(TOps.Load(ref Unsafe.Add(ref src, c)), ref Unsafe.Add(ref dst, c));
            src = ref TWalk.Next(ref src, ref b, ldb, ref liveRows, p);
            dst = ref Unsafe.Add(ref dst, width);
        }
    }


    /// <summary>
    /// Copies A (m, k) tile by tile, each tile's R rows interleaved p-major ((p, r) at p·R + r), so a micro-kernel
    /// walks its rows with one pointer; a last partial tile repeats its last row.
    /// </summary>
    static void PackRows(ref T a, nint ars, nint acs, int m, int k, int rowsPerTile, Span<T> packed, ReadOnlySpan<int> columns)
    {
        ref T tile = ref MemoryMarshal.GetReference(packed);
        if (ars == 1 && columns.IsEmpty)
        {
            // A is read down its columns (dx = wᵀ dz): a tile's rows are neighbours, so walk p outside and copy each
            // column's few rows in one sweep, instead of reading every row at a stride of a whole row of w.
            for (int i = 0; i < m; i += rowsPerTile)
            {
                int last = Math.Min(rowsPerTile, m - i) - 1;
                for (int p = 0; p < k; p++)
                {
                    ref T src = ref Unsafe.Add(ref a, i + p * acs);
                    ref T dst = ref Unsafe.Add(ref tile, p * rowsPerTile);
                    for (int r = 0; r < rowsPerTile; r++) Unsafe.Add(ref dst, r) = Unsafe.Add(ref src, Math.Min(r, last));
                }
                tile = ref Unsafe.Add(ref tile, rowsPerTile * k);
            }
            return;
        }
        for (int i = 0; i < m; i += rowsPerTile)
        {
            for (int r = 0; r < rowsPerTile; r++)
            {
                ref T src = ref Unsafe.Add(ref a, Math.Min(i + r, m - 1) * ars);
                ref T dst = ref Unsafe.Add(ref tile, r);
                if (columns.IsEmpty)
                    for (int p = 0; p < k; p++) Unsafe.Add(ref dst, p * rowsPerTile) = Unsafe.Add(ref src, p * acs);
                else
                    for (int p = 0; p < k; p++) Unsafe.Add(ref dst, p * rowsPerTile) = Unsafe.Add(ref src, columns[p] * acs);
            }
            tile = ref Unsafe.Add(ref tile, rowsPerTile * k);
        }
    }

    /// <summary>The rows of B (k, n) with a non-zero element (NaN counts) into live, ascending; returns how many.</summary>
    static int LiveRows(ref T b, int k, int n, Span<int> live)
    {
        nint v = TOps.Count;
        int count = 0;
        for (int p = 0; p < k; p++)
        {
            ref T row = ref Unsafe.Add(ref b, (nint)p * n);
            bool any = TOps.AnyNonZero(TOps.Load(ref row));
            for (nint j = v; !any && j < n; j += v) any = TOps.AnyNonZero(TOps.Load(ref Unsafe.Add(ref row, Math.Min(j, n - v))));
            if (any) live[count++] = p;
        }
        return count;
    }

    /// <summary>A thread's work buffer: it grows on first use and is then reused, so steps allocate nothing.</summary>
    static Span<T> Buffer(ref T[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new T[Math.Max(length, 1024)];
        return buffer.AsSpan(0, length);
    }

    static Span<int> Ints(ref int[]? buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new int[Math.Max(length, 256)];
        return buffer.AsSpan(0, length);
    }
}
