using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// One implementation of the dense layer's passes (see <see cref="DenseKernels"/> for the variants). Called once per
/// layer per pass; the activation is dispatched once per call, never inside a loop.
/// The backward pass works on deltas, dL/dz: each layer's <see cref="Backward"/> hands the layer below its delta
/// with that layer's activation derivative already applied, so a fast kernel can apply it while the product that
/// makes it is still in registers.
/// </summary>
public interface IDenseKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The variant's name, as NEURALFIT_KERNEL spells it.</summary>
    string Name { get; }

    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n);

    // dz (nOut, n): in dL/da, out dL/dz = dL/da ∘ f'(z, a); db (nOut) += Σ dz. (For the output layer, whose delta
    // comes from the loss; every other layer gets its delta from the layer above's Backward.)
    void Delta(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n);

    // dz (nOut, n) = dL/dz; x (nIn, n); w (nOut, nIn) -> dw (nOut, nIn) += dz xᵀ, and, unless below is None, the
    // layer below's delta (wᵀ dz) ∘ mask ∘ f'(z, a) with its bias (and, when given, weight) gradient: see LayerBelow.
    void Backward(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below);
}
