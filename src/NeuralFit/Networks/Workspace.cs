using System.Numerics;

namespace NeuralFit.Networks;

/// <summary>
/// Every buffer one forward and backward pass needs, for batches of up to <see cref="Capacity"/> samples,
/// allocated once before training. Buffers are feature-major: row j of a layer holds unit j for each sample.
/// A batch of n &lt; Capacity uses the first width·n elements with row stride n.
/// </summary>
internal sealed class Workspace<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <param name="keepPreActivations">False for a training workspace: hidden layers whose activation is ReLU,
    /// leaky ReLU or linear then keep a alone, in one buffer that Z and A share, and the plan may run segments and
    /// data-parallel chunks (see <see cref="KernelPlan{T}"/>).</param>
    /// <param name="segments">For a training workspace: let the plan run a one-input network's first two layers
    /// segment by segment where that pays; its forward pass may then reorder the batch's samples (inputs and
    /// targets together).</param>
    public Workspace(NetworkShape shape, int capacity, bool keepPreActivations = true, bool segments = false)
        : this(shape, capacity, keepPreActivations ? KernelPlanInputs.Prediction : new KernelPlanInputs { Training = true, Segments = segments })
    {
    }

    /// <summary>A workspace for batches of up to <paramref name="capacity"/> samples, its kernel plan made from <paramref name="inputs"/>.</summary>
    public Workspace(NetworkShape shape, int capacity, KernelPlanInputs inputs)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity));
        Shape = shape;
        Capacity = capacity;
        Plan = KernelPlan<T>.For(shape, capacity, inputs);
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
            A[l] = Plan.Layers[l].KeepsZ ? new T[width * capacity] : Z[l];
            Delta[l] = new T[width * capacity];
        }
    }

    /// <summary>Which kernel path runs for each layer, and why: made with the workspace, remade when dropout is turned on.</summary>
    public KernelPlan<T> Plan { get; private set; }

    public NetworkShape Shape { get; }
    public int Capacity { get; }

    /// <summary>x (inputs, n), already normalised.</summary>
    public T[] Input { get; }

    /// <summary>y (outputs, n), already normalised.</summary>
    public T[] Target { get; }

    /// <summary><see cref="Input"/> and <see cref="Target"/> as the batch a batch source fills.</summary>
    public Sampling.Batch<T> Batch => new(Input, Target);

    /// <summary>Pre-activations z (width, n) of each dense layer; the same buffer as <see cref="A"/> where the plan keeps
    /// a alone (<see cref="LayerPlan{T}.KeepsZ"/> false: the output layer, and a training step's ReLU, leaky ReLU and
    /// linear layers), which then holds a.</summary>
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
        Plan = KernelPlan<T>.For(Shape, Capacity, Plan.Inputs with { Dropout = true });
        DropoutRate = rate;
        DropoutRng = rng;
        Mask = Z[..^1].Select(z => new T[z.Length]).ToArray();
        Dropped = Z[..^1].Select(z => new T[z.Length]).ToArray();
    }

    /// <summary>What layer l reads: the input, or the previous layer's activations (after dropout, if on).</summary>
    public T[] LayerInput(int layer) => layer == 0 ? Input : DropoutRate > 0 ? Dropped[layer - 1] : A[layer - 1];
}
