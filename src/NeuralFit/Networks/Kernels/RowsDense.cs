using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary><see cref="Dense"/> (one TensorPrimitives call per row) behind the kernel interface.</summary>
public sealed class RowsDense<T> : IDenseKernel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Name => "rows";

    public void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: Dense.Forward<T, Relu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.LeakyRelu: Dense.Forward<T, LeakyRelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Elu: Dense.Forward<T, Elu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Gelu: Dense.Forward<T, Gelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Silu: Dense.Forward<T, Silu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Tanh: Dense.Forward<T, Tanh<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sigmoid: Dense.Forward<T, Sigmoid<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Softplus: Dense.Forward<T, Softplus<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sine: Dense.Forward<T, Sine<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Linear: Dense.Forward<T, Identity<T>>(x, w, b, z, a, nIn, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    public void Backward(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, ReadOnlySpan<T> x,
        ReadOnlySpan<T> w, Span<T> dw, Span<T> db, Span<T> dx, int nIn, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: Dense.Backward<T, Relu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.LeakyRelu: Dense.Backward<T, LeakyRelu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Elu: Dense.Backward<T, Elu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Gelu: Dense.Backward<T, Gelu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Silu: Dense.Backward<T, Silu<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Tanh: Dense.Backward<T, Tanh<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Sigmoid: Dense.Backward<T, Sigmoid<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Softplus: Dense.Backward<T, Softplus<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Sine: Dense.Backward<T, Sine<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            case Activation.Linear: Dense.Backward<T, Identity<T>>(dz, z, a, x, w, dw, db, dx, nIn, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }
}
