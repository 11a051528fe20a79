using System.Numerics;

namespace NeuralFit.Networks;

/// <summary>The dense layer written as plainly as possible: the reference the fast kernels are tested against.</summary>
public sealed class DenseNaive : Kernels.ILayerPasses
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

    // dz (nOut, n) in dL/da, out dL/dz -> dw += dz xᵀ, db += Σ dz, dx = wᵀ dz
    public static void Backward<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>
    {
        for (int j = 0; j < nOut * n; j++) dz[j] *= TAct.Derivative(z[j], a[j]);
        for (int o = 0; o < nOut; o++)
            for (int i = 0; i < n; i++)
            {
                T g = dz[o * n + i];
                db[o] += g;
                for (int k = 0; k < nIn; k++) dw[o * nIn + k] += g * x[k * n + i];
            }
        if (dx.IsEmpty) return;
        for (int k = 0; k < nIn; k++)
            for (int i = 0; i < n; i++)
            {
                T sum = T.Zero;
                for (int o = 0; o < nOut; o++) sum += w[o * nIn + k] * dz[o * n + i];
                dx[k * n + i] = sum;
            }
    }
}
