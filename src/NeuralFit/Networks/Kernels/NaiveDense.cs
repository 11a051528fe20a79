using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary><see cref="DenseNaive"/>, the reference, behind the kernel interface.</summary>
public sealed class NaiveDense<T> : IDenseKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "naive";

    public void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: DenseNaive.Forward<T, Relu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.LeakyRelu: DenseNaive.Forward<T, LeakyRelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Elu: DenseNaive.Forward<T, Elu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Gelu: DenseNaive.Forward<T, Gelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Silu: DenseNaive.Forward<T, Silu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Tanh: DenseNaive.Forward<T, Tanh<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sigmoid: DenseNaive.Forward<T, Sigmoid<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Softplus: DenseNaive.Forward<T, Softplus<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sine: DenseNaive.Forward<T, Sine<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Linear: DenseNaive.Forward<T, Identity<T>>(x, w, b, z, a, nIn, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    public void Backward(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: DenseNaive.Backward<T, Relu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.LeakyRelu: DenseNaive.Backward<T, LeakyRelu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Elu: DenseNaive.Backward<T, Elu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Gelu: DenseNaive.Backward<T, Gelu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Silu: DenseNaive.Backward<T, Silu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Tanh: DenseNaive.Backward<T, Tanh<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Sigmoid: DenseNaive.Backward<T, Sigmoid<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Softplus: DenseNaive.Backward<T, Softplus<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Sine: DenseNaive.Backward<T, Sine<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Linear: DenseNaive.Backward<T, Identity<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }
}
