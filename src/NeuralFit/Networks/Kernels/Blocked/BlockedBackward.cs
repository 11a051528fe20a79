using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>The first layer's backward pass (nothing below it): dw += dz xᵀ in tiles of dot products along the batch.</summary>
internal sealed class WeightsOnlyBackward<T, TVec, TOps> : IBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    // dz (nOut, n), x (nIn, n) -> dw (nOut, nIn) += dz xᵀ
    public void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        BlockedSizes.CheckBackward(dz, x, w, dw, nIn, nOut, n, below);
        if (n == 0) return;
        BlockedBackward<T, TVec, TOps>.Weights(dz, x, dw, nIn, nOut, n);
    }
}

/// <summary>
/// dw += dz xᵀ, then dx = wᵀ dz as a product whose epilogue turns dx into the layer below's delta while it is in
/// registers: its derivative applied (<typeparamref name="TBelow"/> has a vector form), its bias gradient summed, and
/// for a one-input first layer its weight gradient too, so the layer below never makes a pass of its own.
/// </summary>
internal sealed class FusedDeltaBackward<T, TVec, TOps, TBelow> : IBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TBelow : struct, IActivation<T>
{
    public void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        BlockedSizes.CheckBackward(dz, x, w, dw, nIn, nOut, n, below);
        if (n == 0) return;
        BlockedBackward<T, TVec, TOps>.Weights(dz, x, dw, nIn, nOut, n);
        BlockedBackward<T, TVec, TOps>.BelowFused<TBelow>(dz, w, nIn, nOut, n, below);
    }
}

/// <summary>
/// dw += dz xᵀ, then dx = wᵀ dz, and the layer below's delta in passes of their own: for dropout (the mask breaks the
/// fused form) and for derivatives that need exp, erf or cos.
/// </summary>
internal sealed class DeltaInPassesBackward<T, TVec, TOps, TBelow> : IBackwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
    where TBelow : struct, IActivation<T>
{
    public void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        BlockedSizes.CheckBackward(dz, x, w, dw, nIn, nOut, n, below);
        if (n == 0) return;
        BlockedBackward<T, TVec, TOps>.Weights(dz, x, dw, nIn, nOut, n);
        BlockedBackward<T, TVec, TOps>.BelowInPasses<TBelow>(dz, w, nIn, nOut, n, below);
    }
}

/// <summary>
/// The steps of a dense layer's backward pass on the register-blocked products of <see cref="BlockedGemm{T, TVec, TOps}"/>,
/// at one vector width: dw += dz xᵀ, and dx = wᵀ dz made into the layer below's delta (fused or in passes). Each
/// needs a batch of at least one vector at this width.
/// </summary>
static class BlockedBackward<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    /// <summary>This thread's per-row vector sums for the fused bias and weight gradients (grown once, then reused).</summary>
    [ThreadStatic] static TVec[]? t_rowSums;

    // dz (nOut, n), x (nIn, n) -> dw (nOut, nIn) += dz xᵀ
    public static void Weights(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, Span<T> dw, int nIn, int nOut, int n) =>
        BlockedGemm<T, TVec, TOps>.MultiplyTransposedAdd(ref MemoryMarshal.GetReference(dz), n, ref MemoryMarshal.GetReference(x), n, n, nOut, nIn,
            ref MemoryMarshal.GetReference(dw), nIn);

    // dx = wᵀ dz (A is w read down its columns: element (k, o) at w[o·nIn + k]), made the layer below's delta in registers
    public static void BelowFused<TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, int nIn, int nOut, int n, in LayerBelow<T> below)
        where TBelow : struct, IActivation<T>
    {
        var sums = RowSums(2 * nIn);
        sums.Clear();
        ref TVec biasSums = ref MemoryMarshal.GetReference(sums);
        ref T wr = ref MemoryMarshal.GetReference(w);
        var sink = new DeltaSink<T, TVec, TOps, TBelow>(ref MemoryMarshal.GetReference(below.Delta), !below.FusesWeights,
            ref MemoryMarshal.GetReference(below.Z), ref MemoryMarshal.GetReference(below.A), n, ref biasSums,
            below.FusesWeights, ref MemoryMarshal.GetReference(below.Input), ref sums[nIn]);
        BlockedGemm<T, TVec, TOps>.Multiply(ref wr, 1, nIn, ref MemoryMarshal.GetReference(dz), nOut, n, nIn, ref wr, false, ref sink);
        for (int k = 0; k < nIn; k++)
        {
            below.BiasGradient[k] += TOps.Sum(sums[k]);
            if (below.FusesWeights) below.WeightGradient[k] += TOps.Sum(sums[nIn + k]);
        }
    }

    // The same in separate passes, for dropout and for derivatives that need exp, erf or cos.
    public static void BelowInPasses<TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, int nIn, int nOut, int n, in LayerBelow<T> below)
        where TBelow : struct, IActivation<T>
    {
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T delta = ref MemoryMarshal.GetReference(below.Delta);
        var dx = new ActivationSink<T, TVec, TOps, StoreZ<T>>(ref delta, ref delta, n);
        BlockedGemm<T, TVec, TOps>.Multiply(ref wr, 1, nIn, ref MemoryMarshal.GetReference(dz), nOut, n, nIn, ref wr, false, ref dx);
        var d = below.Delta[..(nIn * n)];
        if (!below.Mask.IsEmpty) TensorPrimitives.Multiply(d, below.Mask[..(nIn * n)], d); // d(a ∘ mask)/da = mask
        ActivationPasses<T, TVec, TOps>.Backward<TBelow>(d, below.Z, below.A, below.BiasGradient, nIn, n);
        if (below.FusesWeights)
            BlockedGemm<T, TVec, TOps>.MultiplyTransposedAdd(ref delta, n, ref MemoryMarshal.GetReference(below.Input), n, n, nIn, 1,
                ref MemoryMarshal.GetReference(below.WeightGradient), 1);
    }

    static Span<TVec> RowSums(int length)
    {
        if (t_rowSums is null || t_rowSums.Length < length) t_rowSums = new TVec[Math.Max(length, 64)];
        return t_rowSums.AsSpan(0, length);
    }
}
