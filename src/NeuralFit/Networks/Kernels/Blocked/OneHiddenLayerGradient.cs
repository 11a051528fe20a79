using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// Σ r² and its gradient over a whole training set for a network of one hidden layer and one linear output
/// (inputs → units → 1), the shape data fits train by L-BFGS: blocks of rows go in one after another and the sums run
/// over the whole pass. Made by <see cref="KernelPlan{T}.MakeOneHiddenLayerPass"/>; the plan says when it applies.
/// </summary>
internal interface IOneHiddenLayerGradient<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Rows a vector holds: a block's inputs are laid out with a row stride rounded up to a multiple of it.</summary>
    int Lanes { get; }

    /// <summary>Starts a pass: every sum to zero.</summary>
    void Begin();

    // x (inputs, stride), zero past n in each row; targets (n); θ (P) -> the pass's sums += this block's
    void Add(ReadOnlySpan<T> x, int stride, ReadOnlySpan<T> targets, int n, ReadOnlySpan<T> theta, T scale);

    // -> gradient (P) += scale · Σ r ∂output/∂θ over the pass; returns Σ r² (r = output − target)
    double End(Span<T> gradient);
}

/// <summary>
/// The whole-pass gradient of <see cref="IOneHiddenLayerGradient{T}"/>, a chunk of <see cref="ChunkRows"/> rows at a
/// time, every buffer of the chunk in L1: z = w1 x + b1 and a = f(z), a vector of rows by four units at a time; y =
/// w2 a + b2, r = y − target and δ2 = scale·r, a vector of rows at a time; δ1 = w2 δ2 ∘ f'(z, a) with db1 and dw2;
/// then dw1 += δ1 xᵀ in register tiles along the rows. Every sum is a vector of per-lane partial sums kept across
/// chunks and blocks and reduced once, in <see cref="End"/>: lane ℓ adds the rows ≡ ℓ (mod lanes) in their order, so
/// the numbers depend on the rows and the width only, never on a core count, nor on where blocks are cut as long as
/// the cuts fall on multiples of the lanes (NetworkData's blocks do: a power of two, or the whole set). Compared with
/// the layer-by-layer passes (products, an activation pass, dot tiles reduced per block), a and δ never leave L1 and
/// nothing is reduced per block.
/// </summary>
internal sealed class OneHiddenLayerGradient<T, TVec, TOps, TAct> : IOneHiddenLayerGradient<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TAct : struct, IActivation<T>
{
    /// <summary>Rows a chunk holds: its a, δ1 (units × rows each) and x stay in L1 (32 units: 16 KB each in float64);
    /// the dot tiles load and store their sums once a chunk, 16 vectors against 128 multiply-adds of a 4 × 4 tile over
    /// 64 rows at 512 bits. Measured on the 8-32-1 tanh network: 32, 64 and 128 rows within 2 % of each other.</summary>
    const int ChunkRows = 64;

    readonly int _inputs, _units;
    readonly TVec[] _sums; // dw1 (units, inputs) | db1 (units) | dw2 (units) | db2 | Σ r²: vectors of per-lane sums
    readonly T[] _activations; // a (units, ChunkRows) of the chunk in hand
    readonly T[] _preActivations; // z (units, ChunkRows), kept only when the derivative reads it
    readonly T[] _delta; // δ1 (units, ChunkRows)
    readonly T[] _outputDelta; // δ2 = scale·r (ChunkRows)
    readonly T[] _laneMask; // Lanes ones then Lanes zeros: a tail tile's lanes past n are masked by a load from it

    public OneHiddenLayerGradient(int inputs, int units)
    {
        (_inputs, _units) = (inputs, units);
        _sums = new TVec[units * inputs + 2 * units + 2];
        _activations = new T[units * ChunkRows];
        _preActivations = TAct.DerivativeReadsZ ? new T[units * ChunkRows] : [];
        _delta = new T[units * ChunkRows];
        _outputDelta = new T[ChunkRows];
        _laneMask = new T[2 * TOps.Count];
        _laneMask.AsSpan(0, TOps.Count).Fill(T.One);
    }

    public int Lanes => TOps.Count;

    public void Begin() => _sums.AsSpan().Clear();

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<T> x, int stride, ReadOnlySpan<T> targets, int n, ReadOnlySpan<T> theta, T scale)
    {
        int w = TOps.Count, h = _units, d = _inputs;
        if (stride % w != 0 || stride < n || x.Length < d * stride || targets.Length < n || theta.Length < h * d + 2 * h + 1)
            throw new ArgumentException("a buffer is shorter than the network's shape requires, or the stride is not a multiple of the lanes");
        Span<T> tail = stackalloc T[w];
        ref T w1 = ref MemoryMarshal.GetReference(theta);
        ref T b1 = ref Unsafe.Add(ref w1, h * d);
        for (int c0 = 0; c0 < n; c0 += ChunkRows)
        {
            int rows = Math.Min(ChunkRows, n - c0), tiles = (rows + w - 1) / w;
            ref T xc = ref Unsafe.AsRef(in x[c0]);
            Hidden(ref xc, stride, ref w1, ref b1, tiles);
            int full = rows / w;
            Outputs(ref b1, ref Unsafe.AsRef(in targets[c0]), 0, full, w, scale);
            if (full < tiles)
            {
                // a tail tile: its targets padded with zeros, its lanes past n masked out of every sum
                tail.Clear();
                targets.Slice(c0 + full * w, rows - full * w).CopyTo(tail);
                Outputs(ref b1, ref Unsafe.Subtract(ref MemoryMarshal.GetReference(tail), full * w), full, tiles, rows - full * w, scale);
            }
            Deltas(ref b1, tiles);
            WeightTiles(ref xc, stride, tiles);
        }
    }

    /// <summary>z = w1 x + b1 and a = f(z) for a chunk's tiles, into its buffers, four units at a time (the rest one by
    /// one). In methods of their own, each within the JIT's inlining budget (in one, it stopped inlining the vector
    /// operations).</summary>
    void Hidden(ref T x, int stride, ref T w1, ref T b1, int tiles)
    {
        int h = _units, d = _inputs, j = 0;
        ref T a = ref MemoryMarshal.GetArrayDataReference(_activations);
        ref T z = ref TAct.DerivativeReadsZ ? ref MemoryMarshal.GetArrayDataReference(_preActivations) : ref a;
        for (; j + 4 <= h; j += 4)
            FourUnits(ref x, stride, ref Unsafe.Add(ref w1, j * d), ref Unsafe.Add(ref b1, j), d, ref Unsafe.Add(ref z, j * ChunkRows), ref Unsafe.Add(ref a, j * ChunkRows), tiles);
        for (; j < h; j++)
            OneUnit(ref x, stride, ref Unsafe.Add(ref w1, j * d), Unsafe.Add(ref b1, j), d, ref Unsafe.Add(ref z, j * ChunkRows), ref Unsafe.Add(ref a, j * ChunkRows), tiles);
    }

    // x (d, stride), w (4, d), b (4) -> z (4, ChunkRows) when the derivative reads it, a (4, ChunkRows), over the tiles
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void FourUnits(ref T x, int stride, ref T w, ref T b, int d, ref T z, ref T a, int tiles)
    {
        for (int t = 0, i = 0; t < tiles; t++, i += TOps.Count)
        {
            TVec z0 = TOps.Broadcast(b), z1 = TOps.Broadcast(Unsafe.Add(ref b, 1));
            TVec z2 = TOps.Broadcast(Unsafe.Add(ref b, 2)), z3 = TOps.Broadcast(Unsafe.Add(ref b, 3));
            for (int k = 0; k < d; k++)
            {
                TVec xk = TOps.Load(ref Unsafe.Add(ref x, k * stride + i));
                z0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, k)), xk, z0);
                z1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, d + k)), xk, z1);
                z2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 2 * d + k)), xk, z2);
                z3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, 3 * d + k)), xk, z3);
            }
            if (TAct.DerivativeReadsZ)
            {
                TOps.Store(z0, ref Unsafe.Add(ref z, i));
                TOps.Store(z1, ref Unsafe.Add(ref z, ChunkRows + i));
                TOps.Store(z2, ref Unsafe.Add(ref z, 2 * ChunkRows + i));
                TOps.Store(z3, ref Unsafe.Add(ref z, 3 * ChunkRows + i));
            }
            TOps.Store(TAct.ForwardVector<TVec, TOps>(z0), ref Unsafe.Add(ref a, i));
            TOps.Store(TAct.ForwardVector<TVec, TOps>(z1), ref Unsafe.Add(ref a, ChunkRows + i));
            TOps.Store(TAct.ForwardVector<TVec, TOps>(z2), ref Unsafe.Add(ref a, 2 * ChunkRows + i));
            TOps.Store(TAct.ForwardVector<TVec, TOps>(z3), ref Unsafe.Add(ref a, 3 * ChunkRows + i));
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void OneUnit(ref T x, int stride, ref T w, T b, int d, ref T z, ref T a, int tiles)
    {
        for (int t = 0, i = 0; t < tiles; t++, i += TOps.Count)
        {
            TVec sum = TOps.Broadcast(b);
            for (int k = 0; k < d; k++) sum = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w, k)), TOps.Load(ref Unsafe.Add(ref x, k * stride + i)), sum);
            if (TAct.DerivativeReadsZ) TOps.Store(sum, ref Unsafe.Add(ref z, i));
            TOps.Store(TAct.ForwardVector<TVec, TOps>(sum), ref Unsafe.Add(ref a, i));
        }
    }

    // a (h, ChunkRows), θ from b1 on, target (tiles × lanes) -> y = w2 a + b2, r = y − target, δ2 = scale·r (ChunkRows)
    // for tiles [first, end), the lanes of each from valid on masked out; db2 and Σ r² added to their sums
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    void Outputs(ref T b1, ref T target, int first, int end, int valid, T scale)
    {
        int h = _units, d = _inputs;
        ref T w2 = ref Unsafe.Add(ref b1, h);
        ref T a = ref MemoryMarshal.GetArrayDataReference(_activations);
        ref TVec db2 = ref Unsafe.Add(ref MemoryArrayRef(_sums), h * d + 2 * h);
        TVec b2 = TOps.Broadcast(Unsafe.Add(ref w2, h)), sb = db2, sr = Unsafe.Add(ref db2, 1);
        TVec mask = TOps.Load(ref _laneMask[TOps.Count - valid]);
        for (int t = first, i = first * TOps.Count; t < end; t++, i += TOps.Count)
        {
            // y = w2 a + b2 in four partial sums (units j ≡ 0, 1, 2, 3 mod 4): a chain of h/4 multiply-adds, not h
            TVec y0 = TOps.Zero, y1 = TOps.Zero, y2 = TOps.Zero, y3 = TOps.Zero;
            int u = 0;
            for (; u + 4 <= h; u += 4)
            {
                y0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w2, u)), TOps.Load(ref Unsafe.Add(ref a, u * ChunkRows + i)), y0);
                y1 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w2, u + 1)), TOps.Load(ref Unsafe.Add(ref a, (u + 1) * ChunkRows + i)), y1);
                y2 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w2, u + 2)), TOps.Load(ref Unsafe.Add(ref a, (u + 2) * ChunkRows + i)), y2);
                y3 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w2, u + 3)), TOps.Load(ref Unsafe.Add(ref a, (u + 3) * ChunkRows + i)), y3);
            }
            for (; u < h; u++) y0 = TOps.MultiplyAdd(TOps.Broadcast(Unsafe.Add(ref w2, u)), TOps.Load(ref Unsafe.Add(ref a, u * ChunkRows + i)), y0);
            TVec y = TOps.Add(TOps.Add(TOps.Add(y0, y1), TOps.Add(y2, y3)), b2);
            // masked lanes: x is zero there, so y is finite, and r·0 = 0 (and so is all that follows from it)
            TVec r = TOps.Multiply(TOps.Subtract(y, TOps.Load(ref Unsafe.Add(ref target, i))), mask);
            sr = TOps.MultiplyAdd(r, r, sr);
            TVec d2 = TOps.Multiply(TOps.Broadcast(scale), r);
            sb = TOps.Add(sb, d2);
            TOps.Store(d2, ref _outputDelta[i]);
        }
        (db2, Unsafe.Add(ref db2, 1)) = (sb, sr);
    }

    /// <summary>δ1 = w2 δ2 ∘ f'(z, a) for a chunk's tiles, with db1 += Σ δ1 and dw2 += Σ a δ2, four units at a time (their
    /// eight sums in registers along the rows), the rest one by one.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    void Deltas(ref T b1, int tiles)
    {
        int h = _units, j = 0;
        ref T w2 = ref Unsafe.Add(ref b1, h);
        ref TVec db1 = ref Unsafe.Add(ref MemoryArrayRef(_sums), h * _inputs);
        ref TVec dw2 = ref Unsafe.Add(ref db1, h);
        // the chunk's buffers as references held in registers: the loops below stay within the units and the tiles
        ref T a = ref MemoryMarshal.GetArrayDataReference(_activations);
        ref T z = ref TAct.DerivativeReadsZ ? ref MemoryMarshal.GetArrayDataReference(_preActivations) : ref a;
        ref T delta = ref MemoryMarshal.GetArrayDataReference(_delta);
        ref T d2 = ref MemoryMarshal.GetArrayDataReference(_outputDelta);
        for (; j + 4 <= h; j += 4)
        {
            ref TVec b = ref Unsafe.Add(ref db1, j);
            ref TVec v = ref Unsafe.Add(ref dw2, j);
            TVec b0 = b, b1s = Unsafe.Add(ref b, 1), b2 = Unsafe.Add(ref b, 2), b3 = Unsafe.Add(ref b, 3);
            TVec v0 = v, v1 = Unsafe.Add(ref v, 1), v2 = Unsafe.Add(ref v, 2), v3 = Unsafe.Add(ref v, 3);
            TVec w0 = TOps.Broadcast(Unsafe.Add(ref w2, j)), w1 = TOps.Broadcast(Unsafe.Add(ref w2, j + 1));
            TVec w2j = TOps.Broadcast(Unsafe.Add(ref w2, j + 2)), w3 = TOps.Broadcast(Unsafe.Add(ref w2, j + 3));
            int at = j * ChunkRows;
            for (int t = 0, i = 0; t < tiles; t++, i += TOps.Count)
            {
                TVec e = TOps.Load(ref Unsafe.Add(ref d2, i));
                (b0, v0) = Unit(ref a, ref z, ref delta, at + i, e, w0, b0, v0);
                (b1s, v1) = Unit(ref a, ref z, ref delta, at + ChunkRows + i, e, w1, b1s, v1);
                (b2, v2) = Unit(ref a, ref z, ref delta, at + 2 * ChunkRows + i, e, w2j, b2, v2);
                (b3, v3) = Unit(ref a, ref z, ref delta, at + 3 * ChunkRows + i, e, w3, b3, v3);
            }
            (b, Unsafe.Add(ref b, 1), Unsafe.Add(ref b, 2), Unsafe.Add(ref b, 3)) = (b0, b1s, b2, b3);
            (v, Unsafe.Add(ref v, 1), Unsafe.Add(ref v, 2), Unsafe.Add(ref v, 3)) = (v0, v1, v2, v3);
        }
        for (; j < h; j++)
        {
            TVec sb = Unsafe.Add(ref db1, j), sw = Unsafe.Add(ref dw2, j), wj = TOps.Broadcast(Unsafe.Add(ref w2, j));
            for (int t = 0, i = 0; t < tiles; t++, i += TOps.Count)
                (sb, sw) = Unit(ref a, ref z, ref delta, j * ChunkRows + i, TOps.Load(ref Unsafe.Add(ref d2, i)), wj, sb, sw);
            (Unsafe.Add(ref db1, j), Unsafe.Add(ref dw2, j)) = (sb, sw);
        }
    }

    // a, z, δ1 (units, ChunkRows) at element at, δ2 there, w2ⱼ -> δ1 stored; (db1ⱼ + δ1, dw2ⱼ + a δ2)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (TVec, TVec) Unit(ref T a, ref T z, ref T delta, int at, TVec d2, TVec w2, TVec db, TVec dw)
    {
        TVec aj = TOps.Load(ref Unsafe.Add(ref a, at));
        TVec zj = TAct.DerivativeReadsZ ? TOps.Load(ref Unsafe.Add(ref z, at)) : aj;
        TVec d1 = TAct.TimesDerivativeVector<TVec, TOps>(TOps.Multiply(w2, d2), zj, aj);
        TOps.Store(d1, ref Unsafe.Add(ref delta, at));
        return (TOps.Add(db, d1), TOps.MultiplyAdd(aj, d2, dw));
    }

    /// <summary>dw1 += δ1 xᵀ over a chunk's tiles, in tiles of four units by four inputs (the rest one by one): each
    /// tile's 16 vector sums stay in registers along the rows, loaded and stored once a chunk.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    void WeightTiles(ref T x, int stride, int tiles)
    {
        int h = _units, d = _inputs;
        ref TVec dw1 = ref MemoryArrayRef(_sums);
        ref T delta = ref MemoryMarshal.GetArrayDataReference(_delta);
        int j = 0;
        for (; j + 4 <= h; j += 4)
        {
            ref T d0 = ref Unsafe.Add(ref delta, j * ChunkRows);
            int k = 0;
            for (; k + 4 <= d; k += 4) Tile4x4(ref d0, ref Unsafe.Add(ref x, k * stride), stride, tiles, ref Unsafe.Add(ref dw1, j * d + k), d);
            for (; k < d; k++)
                for (int u = 0; u < 4; u++)
                    Tile1x1(ref Unsafe.Add(ref d0, u * ChunkRows), ref Unsafe.Add(ref x, k * stride), tiles, ref Unsafe.Add(ref dw1, (j + u) * d + k));
        }
        for (; j < h; j++)
            for (int k = 0; k < d; k++)
                Tile1x1(ref Unsafe.Add(ref delta, j * ChunkRows), ref Unsafe.Add(ref x, k * stride), tiles, ref Unsafe.Add(ref dw1, j * d + k));
    }

    // δ (4, ChunkRows), x (4, stride) -> sums (4, d) += δ ∘ x lane by lane, over the tiles
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Tile4x4(ref T delta, ref T x, int stride, int tiles, ref TVec sums, int d)
    {
        int w = TOps.Count;
        ref TVec s1 = ref Unsafe.Add(ref sums, d);
        ref TVec s2 = ref Unsafe.Add(ref sums, 2 * d);
        ref TVec s3 = ref Unsafe.Add(ref sums, 3 * d);
        TVec c00 = sums, c01 = Unsafe.Add(ref sums, 1), c02 = Unsafe.Add(ref sums, 2), c03 = Unsafe.Add(ref sums, 3);
        TVec c10 = s1, c11 = Unsafe.Add(ref s1, 1), c12 = Unsafe.Add(ref s1, 2), c13 = Unsafe.Add(ref s1, 3);
        TVec c20 = s2, c21 = Unsafe.Add(ref s2, 1), c22 = Unsafe.Add(ref s2, 2), c23 = Unsafe.Add(ref s2, 3);
        TVec c30 = s3, c31 = Unsafe.Add(ref s3, 1), c32 = Unsafe.Add(ref s3, 2), c33 = Unsafe.Add(ref s3, 3);
        for (int t = 0, i = 0; t < tiles; t++, i += w)
        {
            TVec x0 = TOps.Load(ref Unsafe.Add(ref x, i)), x1 = TOps.Load(ref Unsafe.Add(ref x, stride + i));
            TVec x2 = TOps.Load(ref Unsafe.Add(ref x, 2 * stride + i)), x3 = TOps.Load(ref Unsafe.Add(ref x, 3 * stride + i));
            TVec e = TOps.Load(ref Unsafe.Add(ref delta, i));
            (c00, c01, c02, c03) = (TOps.MultiplyAdd(e, x0, c00), TOps.MultiplyAdd(e, x1, c01), TOps.MultiplyAdd(e, x2, c02), TOps.MultiplyAdd(e, x3, c03));
            e = TOps.Load(ref Unsafe.Add(ref delta, ChunkRows + i));
            (c10, c11, c12, c13) = (TOps.MultiplyAdd(e, x0, c10), TOps.MultiplyAdd(e, x1, c11), TOps.MultiplyAdd(e, x2, c12), TOps.MultiplyAdd(e, x3, c13));
            e = TOps.Load(ref Unsafe.Add(ref delta, 2 * ChunkRows + i));
            (c20, c21, c22, c23) = (TOps.MultiplyAdd(e, x0, c20), TOps.MultiplyAdd(e, x1, c21), TOps.MultiplyAdd(e, x2, c22), TOps.MultiplyAdd(e, x3, c23));
            e = TOps.Load(ref Unsafe.Add(ref delta, 3 * ChunkRows + i));
            (c30, c31, c32, c33) = (TOps.MultiplyAdd(e, x0, c30), TOps.MultiplyAdd(e, x1, c31), TOps.MultiplyAdd(e, x2, c32), TOps.MultiplyAdd(e, x3, c33));
        }
        (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (c00, c01, c02, c03);
        (s1, Unsafe.Add(ref s1, 1), Unsafe.Add(ref s1, 2), Unsafe.Add(ref s1, 3)) = (c10, c11, c12, c13);
        (s2, Unsafe.Add(ref s2, 1), Unsafe.Add(ref s2, 2), Unsafe.Add(ref s2, 3)) = (c20, c21, c22, c23);
        (s3, Unsafe.Add(ref s3, 1), Unsafe.Add(ref s3, 2), Unsafe.Add(ref s3, 3)) = (c30, c31, c32, c33);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static void Tile1x1(ref T delta, ref T x, int tiles, ref TVec sum)
    {
        TVec c = sum;
        for (int t = 0, i = 0; t < tiles; t++, i += TOps.Count) c = TOps.MultiplyAdd(TOps.Load(ref Unsafe.Add(ref delta, i)), TOps.Load(ref Unsafe.Add(ref x, i)), c);
        sum = c;
    }

    public double End(Span<T> gradient)
    {
        int p = _units * _inputs + 2 * _units + 1;
        if (gradient.Length < p) throw new ArgumentException("the gradient is shorter than the network's parameters", nameof(gradient));
        // the sums follow the parameters' layout: w1 (units, inputs), b1 (units), then w2 (1, units), b2
        for (int i = 0; i < p; i++) gradient[i] += TOps.Sum(_sums[i]);
        return double.CreateTruncating(TOps.Sum(_sums[p]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static ref TVec MemoryArrayRef(TVec[] array) => ref MemoryMarshal.GetArrayDataReference(array);
}
