using System.Numerics;

namespace NeuralFit.Networks.Kernels;

// A layer's passes as a kernel plan made them: the technique, the vector width and the activation are fixed by the
// pass's type, so one virtual call per layer runs code the JIT specialised for them. Buffers are feature-major: one
// row of n samples per unit. Which pass runs for which layer, and why, is decided in Networks/KernelPlan.cs.

/// <summary>A layer's forward pass.</summary>
internal interface IForwardPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // x (nIn, n), w (nOut, nIn), b (nOut) -> z (nOut, n) = w x + b, a (nOut, n) = f(z); z and a may be one buffer
    void Run(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> z, Span<T> a, int nIn, int nOut, int n);
}

/// <summary>The element-wise part of a layer's backward pass, for the output layer, whose dL/da comes from the loss
/// (every other layer gets its delta from the layer above's <see cref="IBackwardPass{T}"/>).</summary>
internal interface IDeltaPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // dz (nOut, n): in dL/da, out dL/dz = dL/da ∘ f'(z, a); z, a (nOut, n) -> db (nOut) += Σ dz
    void Run(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n);
}

/// <summary>A layer's backward pass: its weight gradient, and the layer below's delta and gradients (see <see cref="LayerBelow{T}"/>).</summary>
internal interface IBackwardPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    // dz (nOut, n) = dL/dz; x (nIn, n); w (nOut, nIn) -> dw (nOut, nIn) += dz xᵀ, and, unless below is None, the
    // layer below's delta (wᵀ dz) ∘ mask ∘ f'(z, a) with its bias (and, when given, weight) gradient.
    void Run(ReadOnlySpan<T> dz, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dw, int nIn, int nOut, int n, in LayerBelow<T> below);
}

/// <summary>
/// What a layer's backward pass needs of the layer below it (width nIn, n samples) to hand it its delta:
/// <c>Delta = (wᵀ dz) ∘ Mask ∘ f'(Z, A)</c> and <c>BiasGradient += Σ Delta</c> (row sums). The layer below's
/// activation is the backward pass's type parameter.
/// <list type="bullet">
/// <item>Mask: the dropout mask the layer below's output was multiplied by; empty when dropout is off.</item>
/// <item>Input and WeightGradient: given only when the layer below is the first and has one input. The kernel then
/// also adds <c>WeightGradient += Delta · Inputᵀ</c> (that layer's whole backward pass), and Delta is scratch: a
/// kernel may leave it unwritten, since nothing else reads it. Weights and Biases, that layer's own parameters,
/// come with them: a kernel may use them to rebuild that layer's z from its one input.</item>
/// </list>
/// </summary>
internal readonly ref struct LayerBelow<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public LayerBelow(Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> biasGradient,
        ReadOnlySpan<T> mask = default, ReadOnlySpan<T> input = default, Span<T> weightGradient = default,
        ReadOnlySpan<T> weights = default, ReadOnlySpan<T> biases = default)
    {
        Exists = true;
        Delta = delta;
        Z = z;
        A = a;
        BiasGradient = biasGradient;
        Mask = mask;
        Input = input;
        WeightGradient = weightGradient;
        Weights = weights;
        Biases = biases;
    }

    /// <summary>The first layer has nothing below it: its backward pass computes dw only.</summary>
    public static LayerBelow<T> None => default;

    public bool Exists { get; }
    public Span<T> Delta { get; }
    public ReadOnlySpan<T> Z { get; }
    public ReadOnlySpan<T> A { get; }
    public Span<T> BiasGradient { get; }
    public ReadOnlySpan<T> Mask { get; }
    public ReadOnlySpan<T> Input { get; }
    public Span<T> WeightGradient { get; }
    public ReadOnlySpan<T> Weights { get; }
    public ReadOnlySpan<T> Biases { get; }

    /// <summary>True when the kernel also computes the (one-input, first) layer below's weight gradient.</summary>
    public bool FusesWeights => !WeightGradient.IsEmpty;
}
