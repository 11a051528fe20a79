using System.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// What a layer's backward pass needs of the layer below it (width nIn, n samples) to hand it its delta:
/// <c>Delta = (wᵀ dz) ∘ Mask ∘ f'(Z, A)</c> and <c>BiasGradient += Σ Delta</c> (row sums).
/// <list type="bullet">
/// <item>Mask: the dropout mask the layer below's output was multiplied by; empty when dropout is off.</item>
/// <item>Input and WeightGradient: given only when the layer below is the first and has one input. The kernel then
/// also adds <c>WeightGradient += Delta · Inputᵀ</c> (that layer's whole backward pass), and Delta is scratch: a
/// kernel may leave it unwritten, since nothing else reads it. Weights and Biases, that layer's own parameters,
/// come with them: a kernel may use them to rebuild that layer's z from its one input.</item>
/// </list>
/// </summary>
public readonly ref struct LayerBelow<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public LayerBelow(Activation activation, Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> biasGradient,
        ReadOnlySpan<T> mask = default, ReadOnlySpan<T> input = default, Span<T> weightGradient = default,
        ReadOnlySpan<T> weights = default, ReadOnlySpan<T> biases = default)
    {
        Exists = true;
        Activation = activation;
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

    /// <summary>The first layer has nothing below it: its Backward computes dw only.</summary>
    public static LayerBelow<T> None => default;

    public bool Exists { get; }
    public Activation Activation { get; }
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
