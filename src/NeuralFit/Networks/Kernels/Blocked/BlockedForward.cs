using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// A dense layer's forward pass as one register-blocked product, z = w x + b (<see cref="BlockedGemm{T, TVec, TOps}"/>),
/// whose epilogue stores z and/or a = f(z) while z is in registers (<typeparamref name="TEpilogue"/>: ReLU, leaky
/// ReLU and linear fuse). Needs a batch of at least one vector at this width (the plan runs narrower batches at a
/// narrower width).
/// </summary>
internal sealed class ProductForward<T, TVec, TOps, TEpilogue> : IForwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TEpilogue : struct, IEpilogue<T>
{
    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z) (z and a one buffer when only a is stored)
    public void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        BlockedSizes.CheckForward(x, w, b, z, a, nIn, nOut, n);
        if (n == 0) return;
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T ar = ref MemoryMarshal.GetReference(a);
        // The sink holds only the rows it writes (the same reference twice when it writes one).
        var sink = !TEpilogue.WritesZ ? new ActivationSink<T, TVec, TOps, TEpilogue>(ref ar, ref ar, n)
            : !TEpilogue.WritesActivation ? new ActivationSink<T, TVec, TOps, TEpilogue>(ref zr, ref zr, n)
            : new ActivationSink<T, TVec, TOps, TEpilogue>(ref zr, ref ar, n);
        BlockedGemm<T, TVec, TOps>.Multiply(ref MemoryMarshal.GetReference(w), nIn, 1, ref MemoryMarshal.GetReference(x), nIn, n, nOut,
            ref MemoryMarshal.GetReference(b), true, ref sink);
    }
}

/// <summary>
/// A dense layer's forward pass for activations that need exp, erf or sin: the product stores z, then a = f(z) in a
/// pass of its own (<see cref="ActivationPasses{T, TVec, TOps}"/>).
/// </summary>
internal sealed class ProductThenActivationForward<T, TVec, TOps, TAct> : IForwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TAct : struct, IActivation<T>
{
    public void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        BlockedSizes.CheckForward(x, w, b, z, a, nIn, nOut, n);
        if (n == 0) return;
        ref T zr = ref MemoryMarshal.GetReference(z);
        var zOnly = new ActivationSink<T, TVec, TOps, StoreZ<T>>(ref zr, ref zr, n);
        ref T wr = ref MemoryMarshal.GetReference(w);
        BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref MemoryMarshal.GetReference(x), nIn, n, nOut, ref MemoryMarshal.GetReference(b), true, ref zOnly);
        ActivationPasses<T, TVec, TOps>.Forward<TAct>(z[..(nOut * n)], a[..(nOut * n)]);
    }
}

/// <summary>The output layer's delta (and any layer's, in tests): dz ∘ f'(z, a) and the bias gradient in one pass.</summary>
internal sealed class BlockedDelta<T, TVec, TOps, TAct> : IDeltaPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TAct : struct, IActivation<T>
{
    public void Run(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) =>
        ActivationPasses<T, TVec, TOps>.Backward<TAct>(dz, z, a, db, nOut, n);
}

/// <summary>The buffer checks every blocked pass makes before it touches memory through references.</summary>
static class BlockedSizes
{
    public static void CheckForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n) =>
        Check(x.Length >= nIn * n && w.Length >= nOut * nIn && b.Length >= nOut && z.Length >= nOut * n && a.Length >= nOut * n);

    public static void CheckBackward<T>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n,
        in LayerBelow<T> below) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Check(dz.Length >= nOut * n && x.Length >= nIn * n && w.Length >= nOut * nIn && dw.Length >= nOut * nIn);
        if (below.Exists)
            Check(below.Delta.Length >= nIn * n && below.Z.Length >= nIn * n && below.A.Length >= nIn * n && below.BiasGradient.Length >= nIn
                && (below.Mask.IsEmpty || below.Mask.Length >= nIn * n) && (!below.FusesWeights || (below.Input.Length >= n && below.WeightGradient.Length >= nIn))
                && (below.Weights.IsEmpty || below.Weights.Length >= nIn) && (below.Biases.IsEmpty || below.Biases.Length >= nIn));
    }

    static void Check(bool sizesFit)
    {
        if (!sizesFit) throw new ArgumentException("a buffer is shorter than the layer's shape requires");
    }
}
