using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// The tiles of <see cref="OneInputBelow{T, TVec, TOps, TUnits}"/> for a width with 32 vector registers
/// (<see cref="ISimdOps{TVec, T}.ManyRegisters"/>, AVX-512): several rows of dz against two units of the layer below
/// at once, so each row of dz streamed from the cache feeds four multiply-adds instead of two (the 16-register tile
/// takes one unit: on the wide layer, 256 × 256 at 512 samples, it streams dz once per unit and runs at the cache's
/// speed, not the multipliers'). 6 rows × 2 units keeps 24 accumulators and 4 slopes in registers; 5 × 2 serves row
/// counts that are multiples of 5. A unit's lanes outside its own active vectors have s = 0 and add nothing.
/// </summary>
static class OneInputBelowTiles<T, TVec, TOps, TUnits>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TUnits : struct, IActivation<T>
{
    // Rows o..o+6 of dz (row stride n; fewer re-read the last) against two units (z rows z0, z1; one unit: pair false,
    // z1 = z0), over the vectors [from, to) and the tail -> M, N at m, nSums (the second unit's at + second; rows ld apart).
    public static void Tile6x2(ref T dz, int rows, ref T z0, ref T z1, bool pair, ref T x, int n, nint from, nint to, bool tail, ref T m, ref T nSums, nint second, nint ld)
    {
        nint v = TOps.Count;
        ref T d0 = ref dz;
        ref T d1 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(1, rows - 1));
        ref T d2 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(2, rows - 1));
        ref T d3 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(3, rows - 1));
        ref T d4 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(4, rows - 1));
        ref T d5 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(5, rows - 1));
        TVec m00 = TOps.Zero, n00 = TOps.Zero, m01 = TOps.Zero, n01 = TOps.Zero, m10 = TOps.Zero, n10 = TOps.Zero, m11 = TOps.Zero, n11 = TOps.Zero, m20 = TOps.Zero, n20 = TOps.Zero, m21 = TOps.Zero, n21 = TOps.Zero, m30 = TOps.Zero, n30 = TOps.Zero, m31 = TOps.Zero, n31 = TOps.Zero, m40 = TOps.Zero, n40 = TOps.Zero, m41 = TOps.Zero, n41 = TOps.Zero, m50 = TOps.Zero, n50 = TOps.Zero, m51 = TOps.Zero, n51 = TOps.Zero;
        nint end = n - n % v;
        for (nint j = from; j < to; j += v)
        {
            TVec xj = TOps.Load(ref Unsafe.Add(ref x, j));
            TVec s0 = TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z0, j))), sx0 = TOps.Multiply(s0, xj);
            TVec s1 = TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z1, j))), sx1 = TOps.Multiply(s1, xj);
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j));
            m00 = TOps.MultiplyAdd(g, sx0, m00); n00 = TOps.MultiplyAdd(g, s0, n00); m01 = TOps.MultiplyAdd(g, sx1, m01); n01 = TOps.MultiplyAdd(g, s1, n01);
            g = TOps.Load(ref Unsafe.Add(ref d1, j));
            m10 = TOps.MultiplyAdd(g, sx0, m10); n10 = TOps.MultiplyAdd(g, s0, n10); m11 = TOps.MultiplyAdd(g, sx1, m11); n11 = TOps.MultiplyAdd(g, s1, n11);
            g = TOps.Load(ref Unsafe.Add(ref d2, j));
            m20 = TOps.MultiplyAdd(g, sx0, m20); n20 = TOps.MultiplyAdd(g, s0, n20); m21 = TOps.MultiplyAdd(g, sx1, m21); n21 = TOps.MultiplyAdd(g, s1, n21);
            g = TOps.Load(ref Unsafe.Add(ref d3, j));
            m30 = TOps.MultiplyAdd(g, sx0, m30); n30 = TOps.MultiplyAdd(g, s0, n30); m31 = TOps.MultiplyAdd(g, sx1, m31); n31 = TOps.MultiplyAdd(g, s1, n31);
            g = TOps.Load(ref Unsafe.Add(ref d4, j));
            m40 = TOps.MultiplyAdd(g, sx0, m40); n40 = TOps.MultiplyAdd(g, s0, n40); m41 = TOps.MultiplyAdd(g, sx1, m41); n41 = TOps.MultiplyAdd(g, s1, n41);
            g = TOps.Load(ref Unsafe.Add(ref d5, j));
            m50 = TOps.MultiplyAdd(g, sx0, m50); n50 = TOps.MultiplyAdd(g, s0, n50); m51 = TOps.MultiplyAdd(g, sx1, m51); n51 = TOps.MultiplyAdd(g, s1, n51);
        }
        if (tail)
        {
            // The last vector ends at n and overlaps lanes already summed (or skipped, being off): s is zeroed there.
            nint j = n - v;
            int seen = (int)(end - j);
            TVec xj = TOps.Load(ref Unsafe.Add(ref x, j));
            TVec s0 = TOps.ZeroFirst(TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z0, j))), seen), sx0 = TOps.Multiply(s0, xj);
            TVec s1 = TOps.ZeroFirst(TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z1, j))), seen), sx1 = TOps.Multiply(s1, xj);
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j));
            m00 = TOps.MultiplyAdd(g, sx0, m00); n00 = TOps.MultiplyAdd(g, s0, n00); m01 = TOps.MultiplyAdd(g, sx1, m01); n01 = TOps.MultiplyAdd(g, s1, n01);
            g = TOps.Load(ref Unsafe.Add(ref d1, j));
            m10 = TOps.MultiplyAdd(g, sx0, m10); n10 = TOps.MultiplyAdd(g, s0, n10); m11 = TOps.MultiplyAdd(g, sx1, m11); n11 = TOps.MultiplyAdd(g, s1, n11);
            g = TOps.Load(ref Unsafe.Add(ref d2, j));
            m20 = TOps.MultiplyAdd(g, sx0, m20); n20 = TOps.MultiplyAdd(g, s0, n20); m21 = TOps.MultiplyAdd(g, sx1, m21); n21 = TOps.MultiplyAdd(g, s1, n21);
            g = TOps.Load(ref Unsafe.Add(ref d3, j));
            m30 = TOps.MultiplyAdd(g, sx0, m30); n30 = TOps.MultiplyAdd(g, s0, n30); m31 = TOps.MultiplyAdd(g, sx1, m31); n31 = TOps.MultiplyAdd(g, s1, n31);
            g = TOps.Load(ref Unsafe.Add(ref d4, j));
            m40 = TOps.MultiplyAdd(g, sx0, m40); n40 = TOps.MultiplyAdd(g, s0, n40); m41 = TOps.MultiplyAdd(g, sx1, m41); n41 = TOps.MultiplyAdd(g, s1, n41);
            g = TOps.Load(ref Unsafe.Add(ref d5, j));
            m50 = TOps.MultiplyAdd(g, sx0, m50); n50 = TOps.MultiplyAdd(g, s0, n50); m51 = TOps.MultiplyAdd(g, sx1, m51); n51 = TOps.MultiplyAdd(g, s1, n51);
        }
        Quartet q = default;
        Store(ref m, ref nSums, 0, pair, m00, n00, m01, n01, second, ref q[0]);
        if (rows > 1) Store(ref m, ref nSums, 1 * ld, pair, m10, n10, m11, n11, second, ref q[0]);
        if (rows > 2) Store(ref m, ref nSums, 2 * ld, pair, m20, n20, m21, n21, second, ref q[0]);
        if (rows > 3) Store(ref m, ref nSums, 3 * ld, pair, m30, n30, m31, n31, second, ref q[0]);
        if (rows > 4) Store(ref m, ref nSums, 4 * ld, pair, m40, n40, m41, n41, second, ref q[0]);
        if (rows > 5) Store(ref m, ref nSums, 5 * ld, pair, m50, n50, m51, n51, second, ref q[0]);
    }

    // Rows o..o+5 of dz (row stride n; fewer re-read the last) against two units (z rows z0, z1; one unit: pair false,
    // z1 = z0), over the vectors [from, to) and the tail -> M, N at m, nSums (the second unit's at + second; rows ld apart).
    public static void Tile5x2(ref T dz, int rows, ref T z0, ref T z1, bool pair, ref T x, int n, nint from, nint to, bool tail, ref T m, ref T nSums, nint second, nint ld)
    {
        nint v = TOps.Count;
        ref T d0 = ref dz;
        ref T d1 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(1, rows - 1));
        ref T d2 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(2, rows - 1));
        ref T d3 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(3, rows - 1));
        ref T d4 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(4, rows - 1));
        TVec m00 = TOps.Zero, n00 = TOps.Zero, m01 = TOps.Zero, n01 = TOps.Zero, m10 = TOps.Zero, n10 = TOps.Zero, m11 = TOps.Zero, n11 = TOps.Zero, m20 = TOps.Zero, n20 = TOps.Zero, m21 = TOps.Zero, n21 = TOps.Zero, m30 = TOps.Zero, n30 = TOps.Zero, m31 = TOps.Zero, n31 = TOps.Zero, m40 = TOps.Zero, n40 = TOps.Zero, m41 = TOps.Zero, n41 = TOps.Zero;
        nint end = n - n % v;
        for (nint j = from; j < to; j += v)
        {
            TVec xj = TOps.Load(ref Unsafe.Add(ref x, j));
            TVec s0 = TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z0, j))), sx0 = TOps.Multiply(s0, xj);
            TVec s1 = TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z1, j))), sx1 = TOps.Multiply(s1, xj);
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j));
            m00 = TOps.MultiplyAdd(g, sx0, m00); n00 = TOps.MultiplyAdd(g, s0, n00); m01 = TOps.MultiplyAdd(g, sx1, m01); n01 = TOps.MultiplyAdd(g, s1, n01);
            g = TOps.Load(ref Unsafe.Add(ref d1, j));
            m10 = TOps.MultiplyAdd(g, sx0, m10); n10 = TOps.MultiplyAdd(g, s0, n10); m11 = TOps.MultiplyAdd(g, sx1, m11); n11 = TOps.MultiplyAdd(g, s1, n11);
            g = TOps.Load(ref Unsafe.Add(ref d2, j));
            m20 = TOps.MultiplyAdd(g, sx0, m20); n20 = TOps.MultiplyAdd(g, s0, n20); m21 = TOps.MultiplyAdd(g, sx1, m21); n21 = TOps.MultiplyAdd(g, s1, n21);
            g = TOps.Load(ref Unsafe.Add(ref d3, j));
            m30 = TOps.MultiplyAdd(g, sx0, m30); n30 = TOps.MultiplyAdd(g, s0, n30); m31 = TOps.MultiplyAdd(g, sx1, m31); n31 = TOps.MultiplyAdd(g, s1, n31);
            g = TOps.Load(ref Unsafe.Add(ref d4, j));
            m40 = TOps.MultiplyAdd(g, sx0, m40); n40 = TOps.MultiplyAdd(g, s0, n40); m41 = TOps.MultiplyAdd(g, sx1, m41); n41 = TOps.MultiplyAdd(g, s1, n41);
        }
        if (tail)
        {
            // The last vector ends at n and overlaps lanes already summed (or skipped, being off): s is zeroed there.
            nint j = n - v;
            int seen = (int)(end - j);
            TVec xj = TOps.Load(ref Unsafe.Add(ref x, j));
            TVec s0 = TOps.ZeroFirst(TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z0, j))), seen), sx0 = TOps.Multiply(s0, xj);
            TVec s1 = TOps.ZeroFirst(TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z1, j))), seen), sx1 = TOps.Multiply(s1, xj);
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j));
            m00 = TOps.MultiplyAdd(g, sx0, m00); n00 = TOps.MultiplyAdd(g, s0, n00); m01 = TOps.MultiplyAdd(g, sx1, m01); n01 = TOps.MultiplyAdd(g, s1, n01);
            g = TOps.Load(ref Unsafe.Add(ref d1, j));
            m10 = TOps.MultiplyAdd(g, sx0, m10); n10 = TOps.MultiplyAdd(g, s0, n10); m11 = TOps.MultiplyAdd(g, sx1, m11); n11 = TOps.MultiplyAdd(g, s1, n11);
            g = TOps.Load(ref Unsafe.Add(ref d2, j));
            m20 = TOps.MultiplyAdd(g, sx0, m20); n20 = TOps.MultiplyAdd(g, s0, n20); m21 = TOps.MultiplyAdd(g, sx1, m21); n21 = TOps.MultiplyAdd(g, s1, n21);
            g = TOps.Load(ref Unsafe.Add(ref d3, j));
            m30 = TOps.MultiplyAdd(g, sx0, m30); n30 = TOps.MultiplyAdd(g, s0, n30); m31 = TOps.MultiplyAdd(g, sx1, m31); n31 = TOps.MultiplyAdd(g, s1, n31);
            g = TOps.Load(ref Unsafe.Add(ref d4, j));
            m40 = TOps.MultiplyAdd(g, sx0, m40); n40 = TOps.MultiplyAdd(g, s0, n40); m41 = TOps.MultiplyAdd(g, sx1, m41); n41 = TOps.MultiplyAdd(g, s1, n41);
        }
        Quartet q = default;
        Store(ref m, ref nSums, 0, pair, m00, n00, m01, n01, second, ref q[0]);
        if (rows > 1) Store(ref m, ref nSums, 1 * ld, pair, m10, n10, m11, n11, second, ref q[0]);
        if (rows > 2) Store(ref m, ref nSums, 2 * ld, pair, m20, n20, m21, n21, second, ref q[0]);
        if (rows > 3) Store(ref m, ref nSums, 3 * ld, pair, m30, n30, m31, n31, second, ref q[0]);
        if (rows > 4) Store(ref m, ref nSums, 4 * ld, pair, m40, n40, m41, n41, second, ref q[0]);
    }

    // Row at's four sums, M and N of both units, by one Sum4 (a shared reduction tree at 512 bits), to their places.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store(ref T m, ref T nSums, nint at, bool pair, TVec m0, TVec n0, TVec m1, TVec n1, nint second, ref T quartet)
    {
        TOps.Sum4(m0, n0, m1, n1, ref quartet);
        Unsafe.Add(ref m, at) = quartet;
        Unsafe.Add(ref nSums, at) = Unsafe.Add(ref quartet, 1);
        if (!pair) return;
        Unsafe.Add(ref m, at + second) = Unsafe.Add(ref quartet, 2);
        Unsafe.Add(ref nSums, at + second) = Unsafe.Add(ref quartet, 3);
    }

    [InlineArray(4)]
    struct Quartet
    {
        T _first;
    }
}
