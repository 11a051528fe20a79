using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// z = a·B + bias for A of one row (a layer of one unit: the usual output layer, z (1, n) = w (1, k) x (k, n)). The
/// register tiles hold 4 to 10 rows of A: with one row they ran every multiply-add of the tile for one row's result
/// (measured: the 32 → 1 output layer of an 8-32-1 network took about as long as its 8 → 32 first layer). Here each
/// column vector of z is one accumulator, two groups of three vectors at a time so the multiply-adds' latency is
/// hidden. Each sum starts at the bias and adds a_p b_p for p = 0, 1, … in order, and the sink gets the same calls in
/// the same order as from the tiles (three vectors, then single vectors, the last overlapping), so the numbers are
/// the tiles' to the last bit.
/// </summary>
internal static class OneRowProduct<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    // a (1, k): element p at a[p·acs]; B (k, n) row stride n -> the sink's row 0, columns [0, n). Needs n ≥ TOps.Count.
    public static void Multiply<TSink>(ref T a, nint acs, ref T b, int k, int n, T bias, ref TSink sink)
        where TSink : ITileSink<TVec>, allows ref struct
    {
        int v = TOps.Count, wide = 3 * v, fullWide = n - n % wide;
        TVec start = TOps.Broadcast(bias);
        nint j = 0;
        for (; j + 2 * wide <= fullWide; j += 2 * wide)
        {
            TVec c0 = start, c1 = start, c2 = start, c3 = start, c4 = start, c5 = start;
            ref T bp = ref Unsafe.Add(ref b, j);
            for (int p = 0; p < k; p++)
            {
                TVec w = TOps.Broadcast(Unsafe.Add(ref a, p * acs));
                c0 = TOps.MultiplyAdd(w, TOps.Load(ref bp), c0);
                c1 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, v)), c1);
                c2 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, 2 * v)), c2);
                c3 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, 3 * v)), c3);
                c4 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, 4 * v)), c4);
                c5 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, 5 * v)), c5);
                bp = ref Unsafe.Add(ref bp, n);
            }
            sink.Row(0, j, c0, c1, c2);
            sink.Row(0, j + wide, c3, c4, c5);
        }
        for (; j < fullWide; j += wide)
        {
            TVec c0 = start, c1 = start, c2 = start;
            ref T bp = ref Unsafe.Add(ref b, j);
            for (int p = 0; p < k; p++)
            {
                TVec w = TOps.Broadcast(Unsafe.Add(ref a, p * acs));
                c0 = TOps.MultiplyAdd(w, TOps.Load(ref bp), c0);
                c1 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, v)), c1);
                c2 = TOps.MultiplyAdd(w, TOps.Load(ref Unsafe.Add(ref bp, 2 * v)), c2);
                bp = ref Unsafe.Add(ref bp, n);
            }
            sink.Row(0, j, c0, c1, c2);
        }
        for (; j < n; j += v)
        {
            nint jj = Math.Min(j, n - v); // the last vector overlaps the one before it
            TVec c = start;
            ref T bp = ref Unsafe.Add(ref b, jj);
            for (int p = 0; p < k; p++)
            {
                c = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref a, p * acs)), TOps.Load(ref bp), c);
                bp = ref Unsafe.Add(ref bp, n);
            }
            sink.Row(0, jj, c, (int)(j - jj));
        }
    }
}
