using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralFit.Networks.Kernels.Reference;

/// <summary>
/// The "rows" variant of the dense layer (NEURALFIT_KERNEL=rows), NeuralFit's first kernels and now a baseline for the
/// benchmarks: one TensorPrimitives call per row of n samples, so every inner loop runs along the batch, which is
/// long even when layers are narrow. <see cref="DenseNaive"/> is the reference; the blocked kernels replaced it.
/// </summary>
internal sealed class DenseRows : ILayerPasses
{
    DenseRows() { }

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    public static void Forward<T, TAct>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        for (int o = 0; o < nOut; o++)
        {
            var zRow = z.Slice(o * n, n);
            zRow.Fill(b[o]);
            for (int k = 0; k < nIn; k++)
                TensorPrimitives.MultiplyAdd(x.Slice(k * n, n), w[o * nIn + k], zRow, zRow);
        }
        if (typeof(TAct) == typeof(Identity<T>))
        {
            if (!z.Overlaps(a)) z[..(nOut * n)].CopyTo(a);
            return;
        }
        for (int i = 0; i < nOut * n; i++)
            a[i] = TAct.Forward(z[i]);
    }

    // dz (nOut, n) in dL/da, out dL/dz; db += Σ dz
    public static void Delta<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        if (typeof(TAct) != typeof(Identity<T>))
            for (int i = 0; i < nOut * n; i++)
                dz[i] *= TAct.Derivative(z[i], a[i]);
        for (int o = 0; o < nOut; o++) db[o] += TensorPrimitives.Sum<T>(dz.Slice(o * n, n));
    }

    // dz (nOut, n) = dL/dz; x (nIn, n); w (nOut, nIn) -> dw (nOut, nIn) += dz xᵀ; the layer below's delta and gradients
    public static void Backward<T, TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw,
        int nIn, int nOut, int n, in LayerBelow<T> below)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBelow : struct, IActivation<T>
    {
        for (int o = 0; o < nOut; o++)
            for (int k = 0; k < nIn; k++)
                dw[o * nIn + k] += TensorPrimitives.Dot<T>(dz.Slice(o * n, n), x.Slice(k * n, n));
        if (!below.Exists) return;
        for (int k = 0; k < nIn; k++)
        {
            var g = below.Delta.Slice(k * n, n);
            g.Clear();
            for (int o = 0; o < nOut; o++)
                TensorPrimitives.MultiplyAdd(dz.Slice(o * n, n), w[o * nIn + k], g, g);
            if (!below.Mask.IsEmpty) TensorPrimitives.Multiply(g, below.Mask.Slice(k * n, n), g);
            Delta<T, TBelow>(g, below.Z.Slice(k * n, n), below.A.Slice(k * n, n), below.BiasGradient.Slice(k, 1), 1, n);
            if (below.FusesWeights) below.WeightGradient[k] += TensorPrimitives.Dot<T>(g, below.Input[..n]);
        }
    }
}
