using System.Numerics;

namespace NeuralFit.Networks.Kernels.Reference;

/// <summary>The dense layer written as plainly as possible, forward and backward side by side: the reference every
/// fast kernel is tested against (NEURALFIT_KERNEL=naive runs training on it).</summary>
internal sealed class DenseNaive : ILayerPasses
{
    DenseNaive() { }

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n), a (nOut, n)
    public static void Forward<T, TAct>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        for (int o = 0; o < nOut; o++)
            for (int i = 0; i < n; i++)
            {
                T sum = b[o];
                for (int k = 0; k < nIn; k++) sum += w[o * nIn + k] * x[k * n + i];
                z[o * n + i] = sum;
                a[o * n + i] = TAct.Forward(sum);
            }
    }

    // dz (nOut, n) in dL/da, out dL/dz; db += Σ dz
    public static void Delta<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        for (int o = 0; o < nOut; o++)
            for (int i = 0; i < n; i++)
            {
                dz[o * n + i] *= TAct.Derivative(z[o * n + i], a[o * n + i]);
                db[o] += dz[o * n + i];
            }
    }

    // dz (nOut, n) = dL/dz -> dw += dz xᵀ; below: Delta = (wᵀ dz) ∘ Mask ∘ f'(Z, A), its gradients
    public static void Backward<T, TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw,
        int nIn, int nOut, int n, in LayerBelow<T> below)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBelow : struct, IActivation<T>
    {
        for (int o = 0; o < nOut; o++)
            for (int i = 0; i < n; i++)
                for (int k = 0; k < nIn; k++) dw[o * nIn + k] += dz[o * n + i] * x[k * n + i];
        if (!below.Exists) return;
        for (int k = 0; k < nIn; k++)
            for (int i = 0; i < n; i++)
            {
                T g = T.Zero;
                for (int o = 0; o < nOut; o++) g += w[o * nIn + k] * dz[o * n + i];
                if (!below.Mask.IsEmpty) g *= below.Mask[k * n + i];
                g *= TBelow.Derivative(below.Z[k * n + i], below.A[k * n + i]);
                below.BiasGradient[k] += g;
                if (below.FusesWeights) below.WeightGradient[k] += g * below.Input[i];
                below.Delta[k * n + i] = g;
            }
    }
}
