using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralFit.Networks.Kernels.Blocked;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// The backward pass of a layer whose layer below is a one-input first layer with a two-piece linear activation
/// <typeparamref name="TUnits"/> (ReLU, leaky ReLU, linear), done without dx. That layer's output is a = s ∘ z with
/// s = f'(z) (1, or 0 / the leak slope) and z = w₁ x + b₁ (one input x), so every gradient the two layers need comes from two sums per output
/// o of this layer and unit i of the one below:
/// <code>
///   M[o,i] = Σ_j dz[o,j] s[i,j] x_j        N[o,i] = Σ_j dz[o,j] s[i,j]
///   dw[o,i]  += w₁[i] M[o,i] + b₁[i] N[o,i]          (= Σ_j dz[o,j] a[i,j])
///   dw₁[i]   += Σ_o w[o,i] M[o,i]                     db₁[i] += Σ_o w[o,i] N[o,i]
/// </code>
/// The same number of multiply-adds as dw = dz aᵀ plus dx = wᵀ dz, but all of them in long dot products along the
/// batch and no element-wise epilogue (question network, 50 → 10 layer, batch 500: 12.0 µs instead of 14.7).
/// The price is a rearranged sum: where w₁x and b₁ nearly cancel, dw in float32 carries a few more ulps.
/// The plan takes this path for layer 1 when it has at least 4 outputs (so the 5-row tiles are not mostly empty) and
/// there is no dropout below (its mask breaks a = s ∘ z).
/// </summary>
internal sealed class OneInputBelow<T, TVec, TOps, TUnits> : IBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TUnits : struct, IActivation<T>
{
    const int TileRows = 5;

    [ThreadStatic] static T[]? t_sums;
    [ThreadStatic] static int[]? t_units;

    // dz (nOut, n); w (nOut, nIn) -> dw (nOut, nIn) += dz aᵀ; below (one input, its weights and biases given): its
    // weight and bias gradients. Needs n ≥ lanes.
    public void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        BlockedSizes.CheckBackward(dz, x, w, dw, nIn, nOut, n, below);
        if (n == 0) return;
        if (!below.FusesWeights || below.Weights.IsEmpty || below.Biases.IsEmpty || !below.Mask.IsEmpty)
            throw new ArgumentException("the one-input path needs the first layer's input, parameters and gradients, and no dropout mask", nameof(below));
        int count = nOut * nIn;
        if (t_sums is null || t_sums.Length < 2 * count) t_sums = new T[Math.Max(2 * count, 1024)];
        if (t_units is null || t_units.Length < 2 * nIn) t_units = new int[Math.Max(2 * nIn, 256)];
        Span<T> m = t_sums.AsSpan(0, count), nSums = t_sums.AsSpan(count, count);
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        ref T zr = ref MemoryMarshal.GetReference(below.Z);
        ref T xr = ref MemoryMarshal.GetReference(below.Input);
        Span<int> summed = t_units.AsSpan(0, nIn), source = t_units.AsSpan(nIn, nIn);
        summed = summed[..SharedSlopes(ref zr, below.Input, nIn, n, summed, source)];
        if (TOps.ManyRegisters)
            WideTiles(ref dzr, ref zr, ref xr, summed, nIn, nOut, n, m, nSums);
        else
            foreach (int i in summed)
            {
                ref T zi = ref Unsafe.Add(ref zr, (nint)i * n);
                var (from, to, tail) = ActiveVectors(ref zi, n); // once per unit, for every tile of outputs
                for (int o = 0; o < nOut; o += TileRows)
                    Tile(ref Unsafe.Add(ref dzr, (nint)o * n), Math.Min(TileRows, nOut - o), ref zi, ref xr, n, from, to, tail,
                        ref m[o * nIn + i], ref nSums[o * nIn + i], nIn);
            }
        Share(source, m, nSums, nIn, nOut);
        Combine(m, nSums, w, dw, nIn, nOut, below);
    }

    /// <summary>
    /// M and N depend on a unit only through its row of slopes s. A unit with z &gt; 0 on every sample has s = 1
    /// throughout, one with z ≤ 0 on every sample the slope below zero throughout: each such kind is summed for its
    /// first unit alone and copied to the others (and not at all for ReLU's units off throughout, whose sums are 0).
    /// Whatever the samples' order, a unit whose cut lies outside the batch's range of x is such a unit: for the
    /// question's first layer as initialised (w, b uniform on [−1, 1], x in [0.01, 1)) about three units in four, so
    /// this skips most of the work, exactly (the copied sums are the ones the unit's own tile would give).
    /// A unit's z = w·x + b, the same arithmetic on every sample, is monotone in x however it is rounded, so its
    /// signs at the batch's least and greatest x tell its kind; a NaN there (or in x) makes it a unit summed on its own.
    /// Fills summed (the units to sum, in order) and source (per unit: the unit whose sums it takes, −1 for zeros);
    /// returns how many to sum.
    /// </summary>
    static int SharedSlopes(ref T zr, ReadOnlySpan<T> x, int nIn, int n, Span<int> summed, Span<int> source)
    {
        bool oneSlope = TUnits.SlopeBelowZero == T.One; // linear units: s = 1 everywhere, every unit alike
        int low = TensorPrimitives.IndexOfMin(x[..n]), high = TensorPrimitives.IndexOfMax(x[..n]);
        bool ordered = !T.IsNaN(x[low]) && !T.IsNaN(x[high]);
        int count = 0, firstAbove = -1, firstAtOrBelow = -1;
        for (int i = 0; i < nIn; i++)
        {
            ref T zi = ref Unsafe.Add(ref zr, (nint)i * n);
            int kind = oneSlope ? 1 : ordered ? SlopeKind(Unsafe.Add(ref zi, low), Unsafe.Add(ref zi, high)) : 0;
            ref int first = ref kind > 0 ? ref firstAbove : ref firstAtOrBelow;
            if (kind == 0) source[i] = i;
            else if (kind < 0 && TUnits.SlopeBelowZero == T.Zero) { source[i] = -1; continue; }
            else if (first >= 0) { source[i] = first; continue; }
            else source[i] = first = i;
            summed[count++] = i;
        }
        return count;
    }

    // From z at the least and the greatest x: 1, z > 0 on every sample; −1, z ≤ 0 on every one; 0, both (or a NaN).
    static int SlopeKind(T atLow, T atHigh) =>
        T.IsNaN(atLow) || T.IsNaN(atHigh) ? 0 : atLow > T.Zero && atHigh > T.Zero ? 1 : atLow > T.Zero || atHigh > T.Zero ? 0 : -1;

    // Units that take another's sums (or zeros) get them, for every output.
    static void Share(ReadOnlySpan<int> source, Span<T> m, Span<T> nSums, int nIn, int nOut)
    {
        for (int i = 0; i < nIn; i++)
        {
            int from = source[i];
            if (from == i) continue;
            for (int o = 0, at = i; o < nOut; o++, at += nIn)
                (m[at], nSums[at]) = from < 0 ? (T.Zero, T.Zero) : (m[at - i + from], nSums[at - i + from]);
        }
    }

    // M, N by OneInputBelowTiles: the units to sum two at a time, against 6 (or 5, when that wastes fewer) rows of dz.
    static void WideTiles(ref T dzr, ref T zr, ref T xr, ReadOnlySpan<int> summed, int nIn, int nOut, int n, Span<T> m, Span<T> nSums)
    {
        int rowsPerTile = (nOut + 4) / 5 * 5 <= (nOut + 5) / 6 * 6 ? 5 : 6;
        for (int p = 0; p < summed.Length; p += 2)
        {
            bool pair = p + 1 < summed.Length;
            int i = summed[p], second = pair ? summed[p + 1] : i;
            ref T zi = ref Unsafe.Add(ref zr, (nint)i * n);
            ref T zs = ref Unsafe.Add(ref zr, (nint)second * n);
            var (from, to, tail) = ActiveVectors(ref zi, n);
            if (pair)
            {
                var (from1, to1, tail1) = ActiveVectors(ref zs, n);
                (from, to, tail) = from >= to ? (from1, to1, tail || tail1) : from1 >= to1 ? (from, to, tail || tail1) : (Math.Min(from, from1), Math.Max(to, to1), tail || tail1);
            }
            for (int o = 0; o < nOut; o += rowsPerTile)
            {
                ref T dzo = ref Unsafe.Add(ref dzr, (nint)o * n);
                int rows = Math.Min(rowsPerTile, nOut - o);
                if (rowsPerTile == 5)
                    OneInputBelowTiles<T, TVec, TOps, TUnits>.Tile5x2(ref dzo, rows, ref zi, ref zs, pair, ref xr, n, from, to, tail, ref m[o * nIn + i], ref nSums[o * nIn + i], second - i, nIn);
                else
                    OneInputBelowTiles<T, TVec, TOps, TUnits>.Tile6x2(ref dzo, rows, ref zi, ref zs, pair, ref xr, n, from, to, tail, ref m[o * nIn + i], ref nSums[o * nIn + i], second - i, nIn);
            }
        }
    }

    // dw[o,i] += w₁[i] M[o,i] + b₁[i] N[o,i]; dw₁[i] += Σ_o w[o,i] M[o,i]; db₁[i] += Σ_o w[o,i] N[o,i]: along i in vectors.
    static void Combine(ReadOnlySpan<T> m, ReadOnlySpan<T> nSums, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, in LayerBelow<T> below)
    {
        int v = TOps.Count, end = nIn - nIn % v;
        ref T w1 = ref MemoryMarshal.GetReference(below.Weights);
        ref T b1 = ref MemoryMarshal.GetReference(below.Biases);
        ref T dw1 = ref MemoryMarshal.GetReference(below.WeightGradient);
        ref T db1 = ref MemoryMarshal.GetReference(below.BiasGradient);
        for (int o = 0; o < nOut; o++)
        {
            ref T mo = ref Unsafe.Add(ref MemoryMarshal.GetReference(m), o * nIn);
            ref T no = ref Unsafe.Add(ref MemoryMarshal.GetReference(nSums), o * nIn);
            ref T wo = ref Unsafe.Add(ref MemoryMarshal.GetReference(w), o * nIn);
            ref T dwo = ref Unsafe.Add(ref MemoryMarshal.GetReference(dw), o * nIn);
            int i = 0;
            for (; i < end; i += v)
            {
                TVec mv = TOps.Load(ref Unsafe.Add(ref mo, i)), nv = TOps.Load(ref Unsafe.Add(ref no, i)), wv = TOps.Load(ref Unsafe.Add(ref wo, i));
                ref T d = ref Unsafe.Add(ref dwo, i);
                TOps.Store(TOps.MultiplyAdd(nv, TOps.Load(ref Unsafe.Add(ref b1, i)), TOps.MultiplyAdd(mv, TOps.Load(ref Unsafe.Add(ref w1, i)), TOps.Load(ref d))), ref d);
                TOps.Store(TOps.MultiplyAdd(mv, wv, TOps.Load(ref Unsafe.Add(ref dw1, i))), ref Unsafe.Add(ref dw1, i));
                TOps.Store(TOps.MultiplyAdd(nv, wv, TOps.Load(ref Unsafe.Add(ref db1, i))), ref Unsafe.Add(ref db1, i));
            }
            for (; i < nIn; i++)
            {
                T mi = Unsafe.Add(ref mo, i), ni = Unsafe.Add(ref no, i), wi = Unsafe.Add(ref wo, i);
                Unsafe.Add(ref dwo, i) += mi * Unsafe.Add(ref w1, i) + ni * Unsafe.Add(ref b1, i);
                Unsafe.Add(ref dw1, i) += mi * wi;
                Unsafe.Add(ref db1, i) += ni * wi;
            }
        }
    }

    /// <summary>
    /// The vectors of a unit's row where s can be non-zero: full vectors [from, to) and whether the last, overlapping
    /// one. A ReLU unit is off (s = 0) wherever z ≤ 0; when the samples are in input order (a grid, whole-batch
    /// data) that is one run at either end of the row, which the products then skip.
    /// </summary>
    static (nint From, nint To, bool Tail) ActiveVectors(ref T z, int n)
    {
        nint v = TOps.Count, end = n - n % v;
        if (TUnits.SlopeBelowZero != T.Zero) return (0, end, end < n); // no unit is ever off
        nint from = 0, to = end;
        while (from < end && !TOps.AnyPositive(TOps.Load(ref Unsafe.Add(ref z, from)))) from += v;
        while (to > from && !TOps.AnyPositive(TOps.Load(ref Unsafe.Add(ref z, to - v)))) to -= v;
        return (from, to, end < n && TOps.AnyPositive(TOps.Load(ref Unsafe.Add(ref z, n - v))));
    }

    // Rows of dz from dz (row stride n; rows < 5 re-read the last); z: unit i's row; x: the input; the vectors to
    // visit (see ActiveVectors) -> M, N for (o..o+rows, i), written at m, nSums with stride ld.
    static void Tile(ref T dz, int rows, ref T z, ref T x, int n, nint from, nint to, bool tail, ref T m, ref T nSums, nint ld)
    {
        nint v = TOps.Count;
        ref T d0 = ref dz;
        ref T d1 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(1, rows - 1));
        ref T d2 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(2, rows - 1));
        ref T d3 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(3, rows - 1));
        ref T d4 = ref Unsafe.Add(ref dz, (nint)n * Math.Min(4, rows - 1));
        TVec m0 = TOps.Zero, m1 = TOps.Zero, m2 = TOps.Zero, m3 = TOps.Zero, m4 = TOps.Zero;
        TVec n0 = TOps.Zero, n1 = TOps.Zero, n2 = TOps.Zero, n3 = TOps.Zero, n4 = TOps.Zero;
        nint end = n - n % v;
        for (nint j = from; j < to; j += v)
        {
            TVec s = TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z, j)));
            TVec sx = TOps.Multiply(s, TOps.Load(ref Unsafe.Add(ref x, j)));
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j)); m0 = TOps.MultiplyAdd(g, sx, m0); n0 = TOps.MultiplyAdd(g, s, n0);
            g = TOps.Load(ref Unsafe.Add(ref d1, j)); m1 = TOps.MultiplyAdd(g, sx, m1); n1 = TOps.MultiplyAdd(g, s, n1);
            g = TOps.Load(ref Unsafe.Add(ref d2, j)); m2 = TOps.MultiplyAdd(g, sx, m2); n2 = TOps.MultiplyAdd(g, s, n2);
            g = TOps.Load(ref Unsafe.Add(ref d3, j)); m3 = TOps.MultiplyAdd(g, sx, m3); n3 = TOps.MultiplyAdd(g, s, n3);
            g = TOps.Load(ref Unsafe.Add(ref d4, j)); m4 = TOps.MultiplyAdd(g, sx, m4); n4 = TOps.MultiplyAdd(g, s, n4);
        }
        if (tail)
        {
            // The last vector ends at n and overlaps lanes already summed (or skipped, being off): s is zeroed there.
            nint j = n - v;
            TVec s = TOps.ZeroFirst(TUnits.SlopeVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref z, j))), (int)(end - j));
            TVec sx = TOps.Multiply(s, TOps.Load(ref Unsafe.Add(ref x, j)));
            TVec g = TOps.Load(ref Unsafe.Add(ref d0, j)); m0 = TOps.MultiplyAdd(g, sx, m0); n0 = TOps.MultiplyAdd(g, s, n0);
            g = TOps.Load(ref Unsafe.Add(ref d1, j)); m1 = TOps.MultiplyAdd(g, sx, m1); n1 = TOps.MultiplyAdd(g, s, n1);
            g = TOps.Load(ref Unsafe.Add(ref d2, j)); m2 = TOps.MultiplyAdd(g, sx, m2); n2 = TOps.MultiplyAdd(g, s, n2);
            g = TOps.Load(ref Unsafe.Add(ref d3, j)); m3 = TOps.MultiplyAdd(g, sx, m3); n3 = TOps.MultiplyAdd(g, s, n3);
            g = TOps.Load(ref Unsafe.Add(ref d4, j)); m4 = TOps.MultiplyAdd(g, sx, m4); n4 = TOps.MultiplyAdd(g, s, n4);
        }
        m = TOps.Sum(m0); nSums = TOps.Sum(n0);
        if (rows > 1) { Unsafe.Add(ref m, ld) = TOps.Sum(m1); Unsafe.Add(ref nSums, ld) = TOps.Sum(n1); }
        if (rows > 2) { Unsafe.Add(ref m, 2 * ld) = TOps.Sum(m2); Unsafe.Add(ref nSums, 2 * ld) = TOps.Sum(n2); }
        if (rows > 3) { Unsafe.Add(ref m, 3 * ld) = TOps.Sum(m3); Unsafe.Add(ref nSums, 3 * ld) = TOps.Sum(n3); }
        if (rows > 4) { Unsafe.Add(ref m, 4 * ld) = TOps.Sum(m4); Unsafe.Add(ref nSums, 4 * ld) = TOps.Sum(n4); }
    }
}
