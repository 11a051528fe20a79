using System.Numerics;

namespace NeuralFit.Networks;

/// <summary>
/// Every buffer one forward and backward pass needs, for batches of up to <see cref="Capacity"/> samples,
/// allocated once before training. Buffers are feature-major: row j of a layer holds unit j for each sample.
/// A batch of n &lt; Capacity uses the first width·n elements with row stride n.
/// </summary>
public sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <param name="keepPreActivations">False for a training workspace: hidden layers whose activation is ReLU,
    /// leaky ReLU or linear then keep a alone, in one buffer that Z and A share. Their derivative depends only on
    /// whether z &gt; 0, which a shows as well, and the forward pass writes half as much.</param>
    /// <param name="segments">For a training workspace (keepPreActivations false) of a network whose first layer has
    /// one input and ReLU-family or linear units: run the first two layers segment by segment
    /// (<see cref="Kernels.OneInputSegments{T}"/>) instead of as products; its forward pass may reorder the batch's
    /// samples (input and targets together). Not with NEURALFIT_KERNEL=naive, which keeps every step plain.</param>
    public Workspace(NetworkShape shape, int capacity, bool keepPreActivations = true, bool segments = false)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        Shape = shape;
        Capacity = capacity;
        Input = new T[shape.Inputs * capacity];
        Target = new T[shape.Outputs * capacity];
        int layers = shape.LayerCount;
        Z = new T[layers][];
        A = new T[layers][];
        Delta = new T[layers][];
        for (int l = 0; l < layers; l++)
        {
            int width = shape.Slots[l].FanOut;
            Z[l] = new T[width * capacity];
            bool shared = l == layers - 1 // the output layer is linear: a = z
                || (!keepPreActivations && shape.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Linear);
            A[l] = shared ? Z[l] : new T[width * capacity];
            Delta[l] = new T[width * capacity];
        }
        if (segments && !keepPreActivations && Kernels.OneInputSegments<T>.Applies(shape) && Kernels.DenseKernels.Chosen.Variant != Kernels.KernelVariant.Naive)
            Segments = new Kernels.OneInputSegments<T>(shape, capacity);
    }

    /// <summary>The segment-by-segment first two layers of a training step, when this workspace uses them.</summary>
    public Kernels.OneInputSegments<T>? Segments { get; }

    public NetworkShape Shape { get; }
    public int Capacity { get; }

    /// <summary>x (inputs, n), already normalised.</summary>
    public T[] Input { get; }

    /// <summary>y (outputs, n), already normalised.</summary>
    public T[] Target { get; }

    /// <summary>Pre-activations z (width, n) of each dense layer (in a training workspace of a ReLU-family network,
    /// the hidden layers' a instead: see the constructor).</summary>
    public T[][] Z { get; }

    /// <summary>Activations a = f(z) (width, n) of each dense layer; the last is the network's output.</summary>
    public T[][] A { get; }

    /// <summary>dL/dz (width, n) of each dense layer during the backward pass.</summary>
    public T[][] Delta { get; }

    public T[] Output => A[^1];

    /// <summary>Probability of dropping a hidden unit's output during training; 0 when dropout is off.</summary>
    public double DropoutRate { get; private set; }

    /// <summary>Per hidden layer: 0 for a dropped unit, 1/(1 − rate) for a kept one (inverted dropout).</summary>
    public T[][] Mask { get; private set; } = [];

    /// <summary>Per hidden layer: a ∘ mask, what the next layer sees when dropout is on.</summary>
    public T[][] Dropped { get; private set; } = [];

    internal Sampling.Rng? DropoutRng { get; private set; }

    /// <summary>Turns on inverted dropout for this (training) workspace; prediction workspaces never drop.</summary>
    public void EnableDropout(double rate, Sampling.Rng rng)
    {
        if (rate <= 0) return;
        DropoutRate = rate;
        DropoutRng = rng;
        Mask = Z[..^1].Select(z => new T[z.Length]).ToArray();
        Dropped = Z[..^1].Select(z => new T[z.Length]).ToArray();
    }

    /// <summary>What layer l reads: the input, or the previous layer's activations (after dropout, if on).</summary>
    public T[] LayerInput(int layer) => layer == 0 ? Input : DropoutRate > 0 ? Dropped[layer - 1] : A[layer - 1];
}
