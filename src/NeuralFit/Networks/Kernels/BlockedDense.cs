using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// A dense layer's passes on the register-blocked products of <see cref="BlockedGemm{T, TVec, TOps}"/>, at one
/// vector width. Forward is one product whose epilogue adds the bias and applies ReLU / leaky ReLU / linear while z
/// is in registers. Backward is dw += dz xᵀ, then dx = wᵀ dz, whose epilogue turns dx into the layer below's delta
/// (its derivative applied, its bias gradient summed, and for a one-input first layer its weight gradient too), so
/// the layer below never makes a pass of its own; above a one-input first layer with a piecewise-linear activation
/// there is no dx at all (<see cref="OneInputBelow{T, TVec, TOps}"/>). Batches narrower than one vector run at the
/// next narrower width.
/// </summary>
public sealed class BlockedDense<T, TVec, TOps>(string name) : IDenseKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    /// <summary>The next narrower width, for batches shorter than one vector of this one (none below one lane).</summary>
    static readonly IDenseKernel<T> Narrower =
        typeof(TVec) == typeof(Vector256<T>) ? new BlockedDense<T, Vector128<T>, Vector128Ops<T>>("vector128")
        : typeof(TVec) == typeof(Vector128<T>) ? new BlockedDense<T, T, ScalarOps<T>>("scalar")
        : null!;

    /// <summary>This thread's per-row vector sums for the fused bias and weight gradients (grown once, then reused).</summary>
    [ThreadStatic] static TVec[]? t_rowSums;

    public string Name { get; } = name;

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    public void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        Check(x.Length >= nIn * n && w.Length >= nOut * nIn && b.Length >= nOut && z.Length >= nOut * n && a.Length >= nOut * n);
        if (n == 0) return;
        if (n < TOps.Count) { Narrower.Forward(act, x, w, b, z, a, nIn, nOut, n); return; }
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T ar = ref MemoryMarshal.GetReference(a);
        switch (act)
        {
            case Activation.Relu when z.Overlaps(a):
                var reluInPlace = new ActivationSink<T, TVec, TOps, ActivationOnly<T, FusedRelu<T>>>(ref ar, ref ar, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref reluInPlace);
                break;
            case Activation.LeakyRelu when z.Overlaps(a):
                var leakyInPlace = new ActivationSink<T, TVec, TOps, ActivationOnly<T, FusedLeakyRelu<T>>>(ref ar, ref ar, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref leakyInPlace);
                break;
            case Activation.Relu:
                var relu = new ActivationSink<T, TVec, TOps, FusedRelu<T>>(ref zr, ref ar, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref relu);
                break;
            case Activation.LeakyRelu:
                var leaky = new ActivationSink<T, TVec, TOps, FusedLeakyRelu<T>>(ref zr, ref ar, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref leaky);
                break;
            case Activation.Linear when !z.Overlaps(a):
                var copy = new ActivationSink<T, TVec, TOps, FusedIdentity<T>>(ref zr, ref ar, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref copy);
                break;
            default: // linear with a = z, or an activation applied in its own pass
                var zOnly = new ActivationSink<T, TVec, TOps, StoreZOnly<T>>(ref zr, ref zr, n);
                BlockedGemm<T, TVec, TOps>.Multiply(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zOnly);
                if (act != Activation.Linear) ActivationPasses<T, TVec, TOps>.Forward(act, z[..(nOut * n)], a[..(nOut * n)]);
                break;
        }
    }

    public void Delta(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) =>
        ActivationPasses<T, TVec, TOps>.Backward(act, dz, z, a, db, nOut, n);

    // dz (nOut, n) = dL/dz; x (nIn, n); w (nOut, nIn) -> dw (nOut, nIn) += dz xᵀ; the layer below's delta and gradients
    public void Backward(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        Check(dz.Length >= nOut * n && x.Length >= nIn * n && w.Length >= nOut * nIn && dw.Length >= nOut * nIn);
        if (below.Exists)
            Check(below.Delta.Length >= nIn * n && below.Z.Length >= nIn * n && below.A.Length >= nIn * n && below.BiasGradient.Length >= nIn
                && (below.Mask.IsEmpty || below.Mask.Length >= nIn * n) && (!below.FusesWeights || (below.Input.Length >= n && below.WeightGradient.Length >= nIn))
                && (below.Weights.IsEmpty || below.Weights.Length >= nIn) && (below.Biases.IsEmpty || below.Biases.Length >= nIn));
        if (n == 0) return;
        if (n < TOps.Count) { Narrower.Backward(dz, x, w, dw, nIn, nOut, n, below); return; }
        if (OneInputBelow<T, TVec, TOps>.Applies(below, nOut))
        {
            OneInputBelow<T, TVec, TOps>.Backward(dz, w, dw, nIn, nOut, n, below); // no dx needed: see there
            return;
        }
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        BlockedGemm<T, TVec, TOps>.MultiplyTransposedAdd(ref dzr, n, ref MemoryMarshal.GetReference(x), n, n, nOut, nIn,
            ref MemoryMarshal.GetReference(dw), nIn);
        if (!below.Exists) return;
        if (!below.Mask.IsEmpty || !Derivatives.HasVectorForm(below.Activation))
        {
            BelowInPasses(dz, w, nIn, nOut, n, below);
            return;
        }
        switch (below.Activation)
        {
            case Activation.Relu: BelowFused<ReluDerivative<T>>(dz, w, nIn, nOut, n, below); break;
            case Activation.LeakyRelu: BelowFused<LeakyReluDerivative<T>>(dz, w, nIn, nOut, n, below); break;
            case Activation.Tanh: BelowFused<TanhDerivative<T>>(dz, w, nIn, nOut, n, below); break;
            case Activation.Sigmoid: BelowFused<SigmoidDerivative<T>>(dz, w, nIn, nOut, n, below); break;
            default: BelowFused<NoDerivative<T>>(dz, w, nIn, nOut, n, below); break;
        }
    }

    // dx = wᵀ dz (A is w read down its columns: element (k, o) at w[o·nIn + k]), made the layer below's delta in registers
    static void BelowFused<TDer>(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, int nIn, int nOut, int n, in LayerBelow<T> below)
        where TDer : struct, IDerivative<T>
    {
        var sums = RowSums(2 * nIn);
        sums.Clear();
        ref TVec biasSums = ref MemoryMarshal.GetReference(sums);
        ref T wr = ref MemoryMarshal.GetReference(w);
        var sink = new DeltaSink<T, TVec, TOps, TDer>(ref MemoryMarshal.GetReference(below.Delta), !below.FusesWeights,
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
    static void BelowInPasses(ReadOnlySpan<T> dz, ReadOnlySpan<T> w, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T delta = ref MemoryMarshal.GetReference(below.Delta);
        var dx = new ActivationSink<T, TVec, TOps, StoreZOnly<T>>(ref delta, ref delta, n);
        BlockedGemm<T, TVec, TOps>.Multiply(ref wr, 1, nIn, ref MemoryMarshal.GetReference(dz), nOut, n, nIn, ref wr, false, ref dx);
        var d = below.Delta[..(nIn * n)];
        if (!below.Mask.IsEmpty) TensorPrimitives.Multiply(d, below.Mask[..(nIn * n)], d); // d(a ∘ mask)/da = mask
        ActivationPasses<T, TVec, TOps>.Backward(below.Activation, d, below.Z, below.A, below.BiasGradient, nIn, n);
        if (below.FusesWeights)
            BlockedGemm<T, TVec, TOps>.MultiplyTransposedAdd(ref delta, n, ref MemoryMarshal.GetReference(below.Input), n, n, nIn, 1,
                ref MemoryMarshal.GetReference(below.WeightGradient), 1);
    }

    static Span<TVec> RowSums(int length)
    {
        if (t_rowSums is null || t_rowSums.Length < length) t_rowSums = new TVec[Math.Max(length, 64)];
        return t_rowSums.AsSpan(0, length);
    }

    static void Check(bool sizesFit)
    {
        if (!sizesFit) throw new ArgumentException("a buffer is shorter than the layer's shape requires");
    }
}
