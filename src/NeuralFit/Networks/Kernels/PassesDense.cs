using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary>A dense layer's passes written once for any activation type: <see cref="Dense"/> and <see cref="DenseNaive"/>.</summary>
public interface ILayerPasses
{
    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z)
    static abstract void Forward<T, TAct>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>;

    // dz (nOut, n) in dL/da, out dL/dz; db += Σ dz
    static abstract void Delta<T, TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TAct : struct, IActivation<T>;

    // dz (nOut, n) = dL/dz -> dw += dz xᵀ; the layer below's delta and gradients (see LayerBelow), TBelow its activation
    static abstract void Backward<T, TBelow>(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw,
        int nIn, int nOut, int n, in LayerBelow<T> below)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TBelow : struct, IActivation<T>;
}

/// <summary>
/// <typeparamref name="TPasses"/> behind the kernel interface: the activation is picked once per call and handed on as
/// a type, so the passes' loops see a concrete struct. The "rows" variant is <see cref="Dense"/> (one TensorPrimitives
/// call per row), the "naive" one <see cref="DenseNaive"/>, the reference.
/// </summary>
public sealed class PassesDense<T, TPasses>(string name) : IDenseKernel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TPasses : ILayerPasses
{
    public string Name { get; } = name;

    public void Forward(Activation act, ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b,
        Span<T> z, Span<T> a, int nIn, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: TPasses.Forward<T, Relu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.LeakyRelu: TPasses.Forward<T, LeakyRelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Elu: TPasses.Forward<T, Elu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Gelu: TPasses.Forward<T, Gelu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Silu: TPasses.Forward<T, Silu<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Tanh: TPasses.Forward<T, Tanh<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sigmoid: TPasses.Forward<T, Sigmoid<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Softplus: TPasses.Forward<T, Softplus<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Sine: TPasses.Forward<T, Sine<T>>(x, w, b, z, a, nIn, nOut, n); break;
            case Activation.Linear: TPasses.Forward<T, Identity<T>>(x, w, b, z, a, nIn, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    public void Delta(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: TPasses.Delta<T, Relu<T>>(dz, z, a, db, nOut, n); break;
            case Activation.LeakyRelu: TPasses.Delta<T, LeakyRelu<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Elu: TPasses.Delta<T, Elu<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Gelu: TPasses.Delta<T, Gelu<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Silu: TPasses.Delta<T, Silu<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Tanh: TPasses.Delta<T, Tanh<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Sigmoid: TPasses.Delta<T, Sigmoid<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Softplus: TPasses.Delta<T, Softplus<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Sine: TPasses.Delta<T, Sine<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Linear: TPasses.Delta<T, Identity<T>>(dz, z, a, db, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    public void Backward(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below)
    {
        switch (below.Activation)
        {
            case Activation.Relu: TPasses.Backward<T, Relu<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.LeakyRelu: TPasses.Backward<T, LeakyRelu<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Elu: TPasses.Backward<T, Elu<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Gelu: TPasses.Backward<T, Gelu<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Silu: TPasses.Backward<T, Silu<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Tanh: TPasses.Backward<T, Tanh<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Sigmoid: TPasses.Backward<T, Sigmoid<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Softplus: TPasses.Backward<T, Softplus<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Sine: TPasses.Backward<T, Sine<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            case Activation.Linear: TPasses.Backward<T, Identity<T>>(dz, x, w, dw, nIn, nOut, n, below); break;
            default: throw new ArgumentOutOfRangeException(nameof(below));
        }
    }
}
