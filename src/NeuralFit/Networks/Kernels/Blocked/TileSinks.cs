using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// Where a micro-kernel of <see cref="BlockedGemm{T, TVec, TOps}"/> delivers its finished tile: one call per row of
/// the tile, with the row's vectors (bias added) while they are still in registers. (row, col) is the position of
/// the row's first element in the product.
/// </summary>
internal interface ITileSink<TVec> where TVec : struct
{
    void Row(nint row, nint col, TVec c0, TVec c1, TVec c2);
    void Row(nint row, nint col, TVec c0, TVec c1);

    /// <summary>One vector; its first <paramref name="seen"/> lanes were delivered already (a row's last vector,
    /// placed to end at the row's end, overlaps the one before it).</summary>
    void Row(nint row, nint col, TVec c0, int seen);
}

/// <summary>Stores what the epilogue <typeparamref name="TEpilogue"/> asks for: z, a = f(z) (made in registers), or both.</summary>
internal ref struct ActivationSink<T, TVec, TOps, TEpilogue> : ITileSink<TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TEpilogue : struct, IEpilogue<T>
{
    readonly ref T _z;
    readonly ref T _act;
    readonly nint _ld;

    // z, act (m, n) with row stride ld
    public ActivationSink(ref T z, ref T act, nint ld)
    {
        _z = ref z;
        _act = ref act;
        _ld = ld;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, TVec c1, TVec c2)
    {
        nint at = row * _ld + col, v = TOps.Count;
        Store(c0, at);
        Store(c1, at + v);
        Store(c2, at + 2 * v);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, TVec c1)
    {
        nint at = row * _ld + col;
        Store(c0, at);
        Store(c1, at + TOps.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, int seen) => Store(c0, row * _ld + col); // rewriting equal values is harmless

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    readonly void Store(TVec c, nint at)
    {
        if (TEpilogue.WritesZ) TOps.Store(c, ref Unsafe.Add(ref _z, at));
        if (TEpilogue.WritesActivation) TOps.Store(TEpilogue.Activation<TVec, TOps>(c), ref Unsafe.Add(ref _act, at));
    }
}

/// <summary>
/// For dx = wᵀ dz: turns each finished vector of dL/da of the layer below into its delta d = dL/da ∘ f'(z, a),
/// stores it (unless told not to), and adds it to one vector accumulator per row for the bias gradient, and
/// d ∘ x to another for the weight gradient when the layer below has one input x. So the layer below needs no
/// pass of its own over its delta.
/// </summary>
internal ref struct DeltaSink<T, TVec, TOps, TBelow> : ITileSink<TVec>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TBelow : struct, IActivation<T>
{
    readonly ref T _delta, _z, _a, _input;
    readonly ref TVec _biasSums, _weightSums;
    readonly nint _ld;
    readonly bool _storeDelta, _fuseWeights;

    // delta, z, a (m, n) row stride ld; input (n) when fuseWeights; biasSums, weightSums (m vectors, zeroed)
    public DeltaSink(ref T delta, bool storeDelta, ref T z, ref T a, nint ld, ref TVec biasSums,
        bool fuseWeights, ref T input, ref TVec weightSums)
    {
        _delta = ref delta;
        _storeDelta = storeDelta;
        _z = ref z;
        _a = ref a;
        _ld = ld;
        _biasSums = ref biasSums;
        _fuseWeights = fuseWeights;
        _input = ref input;
        _weightSums = ref weightSums;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, TVec c1, TVec c2)
    {
        nint at = row * _ld + col, v = TOps.Count;
        TVec d0 = Delta(c0, at), d1 = Delta(c1, at + v), d2 = Delta(c2, at + 2 * v);
        ref TVec bias = ref Unsafe.Add(ref _biasSums, row);
        bias = TOps.Add(bias, TOps.Add(TOps.Add(d0, d1), d2));
        if (!_fuseWeights) return;
        ref TVec weight = ref Unsafe.Add(ref _weightSums, row);
        weight = TOps.MultiplyAdd(d2, Input(col + 2 * v), TOps.MultiplyAdd(d1, Input(col + v), TOps.MultiplyAdd(d0, Input(col), weight)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, TVec c1)
    {
        nint at = row * _ld + col, v = TOps.Count;
        TVec d0 = Delta(c0, at), d1 = Delta(c1, at + v);
        ref TVec bias = ref Unsafe.Add(ref _biasSums, row);
        bias = TOps.Add(bias, TOps.Add(d0, d1));
        if (!_fuseWeights) return;
        ref TVec weight = ref Unsafe.Add(ref _weightSums, row);
        weight = TOps.MultiplyAdd(d1, Input(col + v), TOps.MultiplyAdd(d0, Input(col), weight));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Row(nint row, nint col, TVec c0, int seen)
    {
        TVec d = Delta(c0, row * _ld + col);
        if (seen > 0) d = TOps.ZeroFirst(d, seen);
        ref TVec bias = ref Unsafe.Add(ref _biasSums, row);
        bias = TOps.Add(bias, d);
        if (!_fuseWeights) return;
        ref TVec weight = ref Unsafe.Add(ref _weightSums, row);
        weight = TOps.MultiplyAdd(d, Input(col), weight);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    readonly TVec Delta(TVec g, nint at)
    {
        TVec z = TBelow.DerivativeReadsZ ? TOps.Load(ref Unsafe.Add(ref _z, at)) : TOps.Zero;
        TVec a = TBelow.DerivativeReadsA ? TOps.Load(ref Unsafe.Add(ref _a, at)) : TOps.Zero;
        TVec d = TBelow.TimesDerivativeVector<TVec, TOps>(g, z, a);
        if (_storeDelta) TOps.Store(d, ref Unsafe.Add(ref _delta, at));
        return d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    readonly TVec Input(nint col) => TOps.Load(ref Unsafe.Add(ref _input, col));
}
