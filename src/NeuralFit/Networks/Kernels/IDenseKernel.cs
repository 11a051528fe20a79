using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// One implementation of the dense layer's passes (see <see cref="DenseKernels"/> for the variants). Called once per
/// layer per pass; the activation is dispatched once per call, never inside a loop.
/// </summary>
public interface IDenseKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The variant's name, as NEURALFIT_KERNEL spells it.</summary>
    string Name { get; }

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n);

    // dz (nOut, n): in dL/da, out dL/dz; z, a (nOut, n); x (nIn, n); w (nOut, nIn)
    // -> dw (nOut, nIn) += dz xᵀ, db (nOut) += Σ dz, dx (nIn, n) = wᵀ dz (skipped when dx is empty)
    void Backward(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n);
}
