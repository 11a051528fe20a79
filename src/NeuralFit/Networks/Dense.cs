using System.Numerics;
using System.Numerics.Tensors;

namespace NeuralFit.Networks;

/// <summary>
/// The dense layer's forward and backward passes. Activations are stored feature-major, one row of n samples per
/// unit, so every inner loop runs along the batch, which is long even when layers are narrow (the question's
/// network has one input). Rows are vectorised with TensorPrimitives; <see cref="DenseNaive"/> is the reference.
/// </summary>
public sealed class Dense : Kernels.ILayerPasses
{
    Dense() { }

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

    // dz (nOut, n): in dL/da, out dL/dz; z, a (nOut, n); x (nIn, n); w (nOut, nIn)
    // -> dw (nOut, nIn) += dz xᵀ, db (nOut) += Σ dz, dx (nIn, n) = wᵀ dz (skipped when dx is empty)
    public static void Backward<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        if (typeof(TAct) != typeof(Identity<T>))
            for (int i = 0; i < nOut * n; i++)
                dz[i] *= TAct.Derivative(z[i], a[i]);
        for (int o = 0; o < nOut; o++)
        {
            var dzRow = dz.Slice(o * n, n);
            for (int k = 0; k < nIn; k++)
                dw[o * nIn + k] += TensorPrimitives.Dot<T>(dzRow, x.Slice(k * n, n));
            db[o] += TensorPrimitives.Sum<T>(dzRow);
        }
        if (dx.IsEmpty) return;
        for (int k = 0; k < nIn; k++)
        {
            var dxRow = dx.Slice(k * n, n);
            dxRow.Clear();
            for (int o = 0; o < nOut; o++)
                TensorPrimitives.MultiplyAdd(dz.Slice(o * n, n), w[o * nIn + k], dxRow, dxRow);
        }
    }
}
