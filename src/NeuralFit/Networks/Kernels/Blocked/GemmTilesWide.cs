using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The micro-kernels of <see cref="BlockedGemm{T, TVec, TOps}.Multiply"/> for a width with 32 vector registers
/// (<see cref="ISimdOps{TVec, T}.ManyRegisters"/>, AVX-512): twice the accumulators of <see cref="GemmTiles{T, TVec, TOps}"/>,
/// so each vector of B loaded feeds twice the multiply-adds and each row of A is swept half as often. 8 rows × 3
/// vectors (24 accumulators, 3 loads of B and 8 broadcasts per step of the shared dimension: 27 registers in use), and
/// 10 rows × 2 vectors for row counts that are multiples of 5. Same layout, sinks and row walks as the 16-register
/// tiles; each accumulator sums the shared dimension in the same order, so the tile shape changes no result.
/// </summary>
internal static class GemmTilesWide<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    public static void Tile8x3<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        nint v = TOps.Count;
        TVec c00 = Start(ref bias, 0, rows, hasBias), c01 = c00, c02 = c00;
        TVec c10 = Start(ref bias, 1, rows, hasBias), c11 = c10, c12 = c10;
        TVec c20 = Start(ref bias, 2, rows, hasBias), c21 = c20, c22 = c20;
        TVec c30 = Start(ref bias, 3, rows, hasBias), c31 = c30, c32 = c30;
        TVec c40 = Start(ref bias, 4, rows, hasBias), c41 = c40, c42 = c40;
        TVec c50 = Start(ref bias, 5, rows, hasBias), c51 = c50, c52 = c50;
        TVec c60 = Start(ref bias, 6, rows, hasBias), c61 = c60, c62 = c60;
        TVec c70 = Start(ref bias, 7, rows, hasBias), c71 = c70, c72 = c70;
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
            w = TOps.Broadcast(Unsafe.Add(ref ap, 4));
            c40 = TOps.MultiplyAdd(w, b0, c40); c41 = TOps.MultiplyAdd(w, b1, c41); c42 = TOps.MultiplyAdd(w, b2, c42);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 5));
            c50 = TOps.MultiplyAdd(w, b0, c50); c51 = TOps.MultiplyAdd(w, b1, c51); c52 = TOps.MultiplyAdd(w, b2, c52);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 6));
            c60 = TOps.MultiplyAdd(w, b0, c60); c61 = TOps.MultiplyAdd(w, b1, c61); c62 = TOps.MultiplyAdd(w, b2, c62);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 7));
            c70 = TOps.MultiplyAdd(w, b0, c70); c71 = TOps.MultiplyAdd(w, b1, c71); c72 = TOps.MultiplyAdd(w, b2, c72);
            ap = ref Unsafe.Add(ref ap, 8);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c00, c01, c02);
        if (rows > 1) sink.Row(row + 1, col, c10, c11, c12);
        if (rows > 2) sink.Row(row + 2, col, c20, c21, c22);
        if (rows > 3) sink.Row(row + 3, col, c30, c31, c32);
        if (rows > 4) sink.Row(row + 4, col, c40, c41, c42);
        if (rows > 5) sink.Row(row + 5, col, c50, c51, c52);
        if (rows > 6) sink.Row(row + 6, col, c60, c61, c62);
        if (rows > 7) sink.Row(row + 7, col, c70, c71, c72);
    }

    public static void Tile10x2<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        nint v = TOps.Count;
        TVec c00 = Start(ref bias, 0, rows, hasBias), c01 = c00;
        TVec c10 = Start(ref bias, 1, rows, hasBias), c11 = c10;
        TVec c20 = Start(ref bias, 2, rows, hasBias), c21 = c20;
        TVec c30 = Start(ref bias, 3, rows, hasBias), c31 = c30;
        TVec c40 = Start(ref bias, 4, rows, hasBias), c41 = c40;
        TVec c50 = Start(ref bias, 5, rows, hasBias), c51 = c50;
        TVec c60 = Start(ref bias, 6, rows, hasBias), c61 = c60;
        TVec c70 = Start(ref bias, 7, rows, hasBias), c71 = c70;
        TVec c80 = Start(ref bias, 8, rows, hasBias), c81 = c80;
        TVec c90 = Start(ref bias, 9, rows, hasBias), c91 = c90;
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
            w = TOps.Broadcast(Unsafe.Add(ref ap, 5));
            c50 = TOps.MultiplyAdd(w, b0, c50); c51 = TOps.MultiplyAdd(w, b1, c51);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 6));
            c60 = TOps.MultiplyAdd(w, b0, c60); c61 = TOps.MultiplyAdd(w, b1, c61);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 7));
            c70 = TOps.MultiplyAdd(w, b0, c70); c71 = TOps.MultiplyAdd(w, b1, c71);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 8));
            c80 = TOps.MultiplyAdd(w, b0, c80); c81 = TOps.MultiplyAdd(w, b1, c81);
            w = TOps.Broadcast(Unsafe.Add(ref ap, 9));
            c90 = TOps.MultiplyAdd(w, b0, c90); c91 = TOps.MultiplyAdd(w, b1, c91);
            ap = ref Unsafe.Add(ref ap, 10);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c00, c01);
        if (rows > 1) sink.Row(row + 1, col, c10, c11);
        if (rows > 2) sink.Row(row + 2, col, c20, c21);
        if (rows > 3) sink.Row(row + 3, col, c30, c31);
        if (rows > 4) sink.Row(row + 4, col, c40, c41);
        if (rows > 5) sink.Row(row + 5, col, c50, c51);
        if (rows > 6) sink.Row(row + 6, col, c60, c61);
        if (rows > 7) sink.Row(row + 7, col, c70, c71);
        if (rows > 8) sink.Row(row + 8, col, c80, c81);
        if (rows > 9) sink.Row(row + 9, col, c90, c91);
    }

    // One vector of columns at col; its first `seen` lanes were delivered by the tile before.
    public static void Tile8x1<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        TVec c0 = Start(ref bias, 0, rows, hasBias), c1 = Start(ref bias, 1, rows, hasBias);
        TVec c2 = Start(ref bias, 2, rows, hasBias), c3 = Start(ref bias, 3, rows, hasBias);
        TVec c4 = Start(ref bias, 4, rows, hasBias), c5 = Start(ref bias, 5, rows, hasBias);
        TVec c6 = Start(ref bias, 6, rows, hasBias), c7 = Start(ref bias, 7, rows, hasBias);
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
            c5 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 5)), b0, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 6)), b0, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 7)), b0, c7);
            ap = ref Unsafe.Add(ref ap, 8);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c0, seen);
        if (rows > 1) sink.Row(row + 1, col, c1, seen);
        if (rows > 2) sink.Row(row + 2, col, c2, seen);
        if (rows > 3) sink.Row(row + 3, col, c3, seen);
        if (rows > 4) sink.Row(row + 4, col, c4, seen);
        if (rows > 5) sink.Row(row + 5, col, c5, seen);
        if (rows > 6) sink.Row(row + 6, col, c6, seen);
        if (rows > 7) sink.Row(row + 7, col, c7, seen);
    }

    public static void Tile10x1<TSink, TWalk>(ref T a, int rows, ref T b, nint ldb, ref int liveRows, int k,
        ref T bias, bool hasBias, ref TSink sink, nint row, nint col, int seen) where TSink : ITileSink<TVec>, allows ref struct where TWalk : struct, IRowWalk
    {
        TVec c0 = Start(ref bias, 0, rows, hasBias), c1 = Start(ref bias, 1, rows, hasBias);
        TVec c2 = Start(ref bias, 2, rows, hasBias), c3 = Start(ref bias, 3, rows, hasBias);
        TVec c4 = Start(ref bias, 4, rows, hasBias), c5 = Start(ref bias, 5, rows, hasBias);
        TVec c6 = Start(ref bias, 6, rows, hasBias), c7 = Start(ref bias, 7, rows, hasBias);
        TVec c8 = Start(ref bias, 8, rows, hasBias), c9 = Start(ref bias, 9, rows, hasBias);
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
            c5 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 5)), b0, c5);
            c6 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 6)), b0, c6);
            c7 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 7)), b0, c7);
            c8 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 8)), b0, c8);
            c9 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref ap, 9)), b0, c9);
            ap = ref Unsafe.Add(ref ap, 10);
            bp = ref TWalk.Next(ref bp, ref b, ldb, ref liveRows, p);
        }
        sink.Row(row, col, c0, seen);
        if (rows > 1) sink.Row(row + 1, col, c1, seen);
        if (rows > 2) sink.Row(row + 2, col, c2, seen);
        if (rows > 3) sink.Row(row + 3, col, c3, seen);
        if (rows > 4) sink.Row(row + 4, col, c4, seen);
        if (rows > 5) sink.Row(row + 5, col, c5, seen);
        if (rows > 6) sink.Row(row + 6, col, c6, seen);
        if (rows > 7) sink.Row(row + 7, col, c7, seen);
        if (rows > 8) sink.Row(row + 8, col, c8, seen);
        if (rows > 9) sink.Row(row + 9, col, c9, seen);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec Start(ref T bias, int row, int rows, bool hasBias) =>
        hasBias ? TOps.Broadcast(Unsafe.Add(ref bias, Math.Min(row, rows - 1))) : TOps.Zero;
}
