using System.Numerics;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Networks;

/// <summary>
/// The dense layer's forward pass as the network calls it: forwarded to the kernel variant chosen for this machine
/// (<see cref="DenseKernels"/>; NEURALFIT_KERNEL overrides the choice).
/// </summary>
public static class LayerKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // x (nIn, n), w (nOut, nIn), b (nOut) -> z, a (nOut, n)
    public static void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n) =>
        DenseKernels<T>.Selected.Forward(act, x, w, b, z, a, nIn, nOut, n);
}
