using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The micro-kernels of <see cref="BlockedGemm{T, TVec, TOps}.Multiply"/>: a tile of z = A·B (+ bias) kept in
/// registers while the shared dimension is walked, one broadcast element of A and one vector load of B per group of
/// multiply-adds, then handed row by row to a sink. Two shapes with the same register budget (at most 12
/// accumulators, so 16 vector registers suffice): 4 rows × 3 vectors, and 5 rows × 2 vectors for row counts that are
/// multiples of 5 (10 and 50 in the question's network, where 4-row tiles would compute 2 rows in vain).
/// The tile's rows of A come packed, p-major, so one pointer walks them (see BlockedGemm.PackRows); missing rows
/// of a tile repeat its last row there and are not delivered.
/// </summary>
internal static class GemmTiles<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    // a: the tile's rows of A packed (k, R): element (r, p) at a[p·R + r]; B's rows row stride ldb apart, or only
    // those listed (TWalk); tile origin (row, col)
    public static void Tile4x3<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        nint v = TOps.Count;
        TVec c00 = Start(ref bias, 0, rows, hasBias), c01 = c00, c02 = c00;
        TVec c10 = Start(ref bias, 1, rows, hasBias), c11 = c10, c12 = c10;
        TVec c20 = Start(ref bias, 2, rows, hasBias), c21 = c20, c22 = c20;
        TVec c30 = Start(ref bias, 3, rows, hasBias), c31 = c30, c32 = c30;
        ref T ap = ref a;
        ref T bp = ref TWalk.First(ref b, ldb, ref liveRows);
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v)), b2 = TOps.Load(ref Unsafe.Add(ref bp, 2 * v));
            TVec w = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(w, b0, c00); c01 = TOps.MultiplyAdd(w, b1, c01); c02 = TOps.MultiplyAdd(w, b2, c02);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 1));
            c10 = TOps.MultiplyAdd(w, b0, c10); c11 = TOps.MultiplyAdd(w, b1, c11); c12 = TOps.MultiplyAdd(w, b2, c12);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 2));
            c20 = TOps.MultiplyAdd(w, b0, c20); c21 = TOps.MultiplyAdd(w, b1, c21); c22 = TOps.MultiplyAdd(w, b2, c22);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 3));
            c30 = TOps.MultiplyAdd(w, b0, c30); c31 = TOps.MultiplyAdd(w, b1, c31); c32 = TOps.MultiplyAdd(w, b2, c32);
            ap = ref Unsafe.Add(ref ap, 4);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c00, c01, c02);
        if (rows > 1) sink.Row(row + 1, col, c10, c11, c12);
        if (rows > 2) sink.Row(row + 2, col, c20, c21, c22);
        if (rows > 3) sink.Row(row + 3, col, c30, c31, c32);
    }

    public static void Tile5x2<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        nint v = TOps.Count;
        TVec c00 = Start(ref bias, 0, rows, hasBias), c01 = c00;
        TVec c10 = Start(ref bias, 1, rows, hasBias), c11 = c10;
        TVec c20 = Start(ref bias, 2, rows, hasBias), c21 = c20;
        TVec c30 = Start(ref bias, 3, rows, hasBias), c31 = c30;
        TVec c40 = Start(ref bias, 4, rows, hasBias), c41 = c40;
        ref T ap = ref a;
        ref T bp = ref TWalk.First(ref b, ldb, ref liveRows);
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp), b1 = TOps.Load(ref Unsafe.Add(ref bp, v));
            TVec w = TOps.Broadcast(ap);
            c00 = TOps.MultiplyAdd(w, b0, c00); c01 = TOps.MultiplyAdd(w, b1, c01);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 1));
            c10 = TOps.MultiplyAdd(w, b0, c10); c11 = TOps.MultiplyAdd(w, b1, c11);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 2));
            c20 = TOps.MultiplyAdd(w, b0, c20); c21 = TOps.MultiplyAdd(w, b1, c21);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 3));
            c30 = TOps.MultiplyAdd(w, b0, c30); c31 = TOps.MultiplyAdd(w, b1, c31);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 4));
            c40 = TOps.MultiplyAdd(w, b0, c40); c41 = TOps.MultiplyAdd(w, b1, c41);
            ap = ref Unsafe.Add(ref ap, 5);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c00, c01);
        if (rows > 1) sink.Row(row + 1, col, c10, c11);
        if (rows > 2) sink.Row(row + 2, col, c20, c21);
        if (rows > 3) sink.Row(row + 3, col, c30, c31);
        if (rows > 4) sink.Row(row + 4, col, c40, c41);
    }

    // One vector of columns at col; its first `seen` lanes were delivered by the tile before.
    public static void Tile4x1<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        TVec c0 = Start(ref bias, 0, rows, hasBias), c1 = Start(ref bias, 1, rows, hasBias);
        TVec c2 = Start(ref bias, 2, rows, hasBias), c3 = Start(ref bias, 3, rows, hasBias);
        ref T ap = ref a;
        ref T bp = ref TWalk.First(ref b, ldb, ref liveRows);
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(ap), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 1)), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 2)), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 3)), b0, c3);
            ap = ref Unsafe.Add(ref ap, 4);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c0, seen);
        if (rows > 1) sink.Row(row + 1, col, c1, seen);
        if (rows > 2) sink.Row(row + 2, col, c2, seen);
        if (rows > 3) sink.Row(row + 3, col, c3, seen);
    }

    public static void Tile5x1<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        TVec c0 = Start(ref bias, 0, rows, hasBias), c1 = Start(ref bias, 1, rows, hasBias);
        TVec c2 = Start(ref bias, 2, rows, hasBias), c3 = Start(ref bias, 3, rows, hasBias), c4 = Start(ref bias, 4, rows, hasBias);
        ref T ap = ref a;
        ref T bp = ref TWalk.First(ref b, ldb, ref liveRows);
        for (int p = 0; p < k; p++)
        {
            TVec b0 = TOps.Load(ref bp);
            c0 = TOps.MultiplyAdd(TOps.Broadcast(ap), b0, c0);
            c1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 1)), b0, c1);
            c2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 2)), b0, c2);
            c3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 3)), b0, c3);
            c4 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 4)), b0, c4);
            ap = ref Unsafe.Add(ref ap, 5);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c0, seen);
        if (rows > 1) sink.Row(row + 1, col, c1, seen);
        if (rows > 2) sink.Row(row + 2, col, c2, seen);
        if (rows > 3) sink.Row(row + 3, col, c3, seen);
        if (rows > 4) sink.Row(row + 4, col, c4, seen);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec Start(ref T bias, int row, int rows, bool hasBias) =>
        hasBias ? TOps.Broadcast(Unsafe.Add(ref bias, Math.Min(row, rows - 1))) : TOps.Zero;
}

/// <summary>How a micro-kernel steps through the rows of B: every row, or only the listed ones.</summary>
internal interface IRowWalk
{
    static abstract ref T First<T>(ref T b, nint ldb, ref int rows);
    static abstract ref T Next<T>(ref T current, ref T b, nint ldb, ref int rows, int p);
}

/// <summary>Every row of B, ldb apart.</summary>
internal readonly struct EveryRow : IRowWalk
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T First<T>(ref T b, nint ldb, ref int rows) => ref b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T Next<T>(ref T current, ref T b, nint ldb, ref int rows, int p) => ref Unsafe.Add(ref current, ldb);
}

/// <summary>Only the rows of B listed (ascending indices), for leaving out rows that are zero throughout.</summary>
internal readonly struct ListedRows : IRowWalk
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T First<T>(ref T b, nint ldb, ref int rows) => ref Unsafe.Add(ref b, rows * ldb);
    // The list is read one past its last live row: callers keep a spare entry there.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ref T Next<T>(ref T current, ref T b, nint ldb, ref int rows, int p) => ref Unsafe.Add(ref b, Unsafe.Add(ref rows, p + 1) * ldb);
}
