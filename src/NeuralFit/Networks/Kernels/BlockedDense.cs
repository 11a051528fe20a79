using System.Numerics;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// A dense layer's forward and backward pass on the register-blocked products of <see cref="BlockedGemm{T, TVec, TOps}"/>,
/// at one vector width. Forward is one product whose epilogue adds the bias and applies ReLU / leaky ReLU / linear
/// while z is in registers. Backward is dz = dL/da ∘ f'(z) with db += Σ dz in one pass, then dw += dz xᵀ, then dx = wᵀ dz.
/// </summary>
public sealed class BlockedDense<T, TVec, TOps>(string name) : IDenseKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    public string Name { get; } = name;

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    public void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        Check(x.Length >= nIn * n && w.Length >= nOut * nIn && b.Length >= nOut && z.Length >= nOut * n && a.Length >= nOut * n);
        ref T xr = ref MemoryMarshal.GetReference(x);
        ref T wr = ref MemoryMarshal.GetReference(w);
        ref T br = ref MemoryMarshal.GetReference(b);
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T ar = ref MemoryMarshal.GetReference(a);
        switch (act)
        {
            case Activation.Relu:
                BlockedGemm<T, TVec, TOps>.Multiply<FusedRelu<T>>(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zr, ref ar);
                break;
            case Activation.LeakyRelu:
                BlockedGemm<T, TVec, TOps>.Multiply<FusedLeakyRelu<T>>(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zr, ref ar);
                break;
            case Activation.Linear when z.Overlaps(a):
                BlockedGemm<T, TVec, TOps>.Multiply<StoreZOnly<T>>(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zr, ref ar);
                break;
            case Activation.Linear:
                BlockedGemm<T, TVec, TOps>.Multiply<FusedIdentity<T>>(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zr, ref ar);
                break;
            default:
                BlockedGemm<T, TVec, TOps>.Multiply<StoreZOnly<T>>(ref wr, nIn, 1, ref xr, nIn, n, nOut, ref br, true, ref zr, ref zr);
                ActivationPasses<T, TVec, TOps>.Forward(act, z[..(nOut * n)], a[..(nOut * n)]);
                break;
        }
    }

    // dz (nOut, n): in dL/da, out dL/dz; z, a (nOut, n); x (nIn, n); w (nOut, nIn)
    // -> dw (nOut, nIn) += dz xᵀ, db (nOut) += Σ dz, dx (nIn, n) = wᵀ dz (skipped when dx is empty)
    public void Backward(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n)
    {
        Check(x.Length >= nIn * n && w.Length >= nOut * nIn && dw.Length >= nOut * nIn && (dx.IsEmpty || dx.Length >= nIn * n));
        ActivationPasses<T, TVec, TOps>.Backward(act, dz, z, a, db, nOut, n);
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        ref T wr = ref MemoryMarshal.GetReference(w);
        BlockedGemm<T, TVec, TOps>.MultiplyTransposedAdd(ref dzr, n, ref MemoryMarshal.GetReference(x), n, n, nOut, nIn,
            ref MemoryMarshal.GetReference(dw), nIn);
        if (dx.IsEmpty) return;
        // dx = wᵀ dz: A is w read down its columns (element (k, o) at w[o·nIn + k])
        ref T dxr = ref MemoryMarshal.GetReference(dx);
        BlockedGemm<T, TVec, TOps>.Multiply<StoreZOnly<T>>(ref wr, 1, nIn, ref dzr, nOut, n, nIn, ref wr, false, ref dxr, ref dxr);
    }

    static void Check(bool sizesFit)
    {
        if (!sizesFit) throw new ArgumentException("a buffer is shorter than the layer's shape requires");
    }
}
