using System.Numerics;

namespace NeuralFit.Networks.Kernels.Reference;

/// <summary>A dense layer's passes written once for any activation type: <see cref="DenseRows"/> and <see cref="DenseNaive"/>.</summary>
internal interface ILayerPasses
{
    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    static abstract void Forward<T, TAct>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>;

    // dz (nOut, n) in dL/da, out dL/dz; db += Σ dz
    static abstract void Delta<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>;

    // dz (nOut, n) = dL/dz -> dw += dz xᵀ; the layer below's delta and gradients (see LayerBelow), TBelow its activation
    static abstract void Backward<T, TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw,
        int nIn, int nOut, int n, in LayerBelow<T> below)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBelow : struct, IActivation<T>;
}

// The reference passes behind the plan's pass interfaces, the activation a type parameter.

internal sealed class ReferenceForward<T, TPasses, TAct> : IForwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TPasses : ILayerPasses where TAct : struct, IActivation<T>
{
    public void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n) =>
        TPasses.Forward<T, TAct>(x, w, b, z, a, nIn, nOut, n);
}

internal sealed class ReferenceDelta<T, TPasses, TAct> : IDeltaPass<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TPasses : ILayerPasses where TAct : struct, IActivation<T>
{
    public void Run(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) =>
        TPasses.Delta<T, TAct>(dz, z, a, db, nOut, n);
}

internal sealed class ReferenceBackward<T, TPasses, TBelow> : IBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T> where TPasses : ILayerPasses where TBelow : struct, IActivation<T>
{
    public void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below) =>
        TPasses.Backward<T, TBelow>(dz, x, w, dw, nIn, nOut, n, below);
}
