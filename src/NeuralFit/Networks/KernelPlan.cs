using System.Numerics;
using NeuralFit.Networks.Kernels;
using NeuralFit.Networks.Kernels.OneInput;

namespace NeuralFit.Networks;

/// <summary>
/// Which kernel path runs for each layer, and why: decided once per network shape, batch size, precision T, machine
/// and use (<see cref="KernelPlanInputs"/>), when a <see cref="Workspace{T}"/> is made, and walked by
/// <see cref="Mlp{T}.Forward"/> and <see cref="Mlp{T}.Backward"/>. `neuralfit fit --verbose` and `neuralfit bench
/// --verbose` print it (<see cref="Describe"/>). Every choice of technique is made here and nowhere else:
/// <code>
/// path                 runs when                                                   does
/// naive                NEURALFIT_KERNEL=naive                                      Kernels/Reference/DenseNaive: triple loops
/// rows                 NEURALFIT_KERNEL=rows                                       Kernels/Reference/DenseRows: a TensorPrimitives call per row
/// blocked products     otherwise: vector512 with AVX-512F, else vector256 with     Kernels/Blocked: register-blocked products; relu, leaky
///                      AVX2 + FMA, else vector128, else scalar; a batch           relu and linear applied in the forward epilogue, other
///                      narrower than one vector runs at the next narrower width,   activations in a pass after it (8×3 and 10×2 tiles with
///                      and one under 8 vectors of 512 bits at 256 bits (unless     32 registers, 4×3 and 5×2 with 16)
///                      NEURALFIT_KERNEL forces vector512)
///   fused delta        backward into a hidden layer below (relu, leaky relu,       dx's epilogue makes the layer below's delta and bias
///                      linear, tanh, sigmoid), no dropout                          gradient in registers
///   delta in passes    backward into a hidden layer below with dropout, or         dx, then the mask and the derivative in passes
///                      elu, gelu, silu, softplus, sine
///   one input below    layer 1's backward over a one-input layer 0 of relu,        Kernels/OneInput/OneInputBelow: layer 1's dw and layer 0's
///                      leaky relu or linear units; ≥ 4 units in layer 1; no        gradients from two sums per pair, no dx
///                      dropout
/// in layer above       layer 0's backward when it has one input (any variant)      its gradients are sums over the batch, made in layer 1's pass
/// segments             layers 0–1 of a training step: one input, relu, leaky       Kernels/OneInput/OneInputSegments: affine tables per
///                      relu or linear units, ≥ 2 layers, no dropout, not naive,    segment and sums per segment, O((batch + width)·outputs);
///                      the cost model (SegmentsCost) says they can pay at this     the layers' own paths when a cut cannot be placed, and
///                      batch, and each step, that they do with the share of the    on steps where the model says the products are faster
///                      first layer's kinks inside its batch (NEURALFIT_SEGMENTS
///                      = always | never overrides)
/// data-parallel        a training batch of ≥ 2 × 512 samples, no dropout           Training/DataParallel: chunks of ≥ 512 samples, each with
///                                                                                  its own plan, gradients summed in chunk order
/// one hidden layer     a whole-batch solver's loss and gradient (NetworkData), one  Kernels/Blocked/OneHiddenLayerGradient: 64 rows at a time
///                      hidden layer of ≤ 64 units with vector forms (relu, leaky    through both layers and back in L1, sums kept per lane
///                      relu, linear, tanh, sigmoid), one output, ≤ 1024 weights    over the whole pass and reduced once
///                      in layer 0, a blocked variant
/// </code>
/// A training workspace keeps a alone (z and a one buffer) in relu, leaky relu and linear layers: their derivative
/// reads only the sign of z, which a shows. Inside the blocked products, rows of zeros (units off over the whole
/// batch) are skipped and the tile shape follows the row count; those depend on the data and the product's size,
/// not on the path. A new kernel family (say 512-bit vectors) is a <see cref="KernelVariant"/> value, its passes in
/// <see cref="KernelPasses{T}"/>, and a line in the table above if it runs somewhere the others do not.
/// </summary>
internal sealed class KernelPlan<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Samples per data-parallel chunk, at least. Big enough that each chunk's products stay efficient (the
    /// batch is the long dimension of every kernel), small enough that a 1024-sample batch keeps two cores busy.</summary>
    public const int ChunkSamples = 512;

    readonly KernelPlan<T>?[] _others = new KernelPlan<T>?[4]; // plans for other batch sizes, made when first asked
    int _replace;

    KernelPlan(NetworkShape shape, int batch, KernelPlanInputs inputs, ISegmentsPass<T>? segmentsMade, bool chunks)
    {
        Shape = shape;
        Batch = batch;
        Inputs = inputs;
        (Variant, VariantWhy) = ChooseVariant(inputs.Variant, batch);
        OutputDelta = KernelPasses<T>.Delta(inputs.Variant, Activation.Linear); // the variant's own width whatever the batch, as always
        (bool segments, SegmentsAlways, SegmentsWhy) = ChooseSegments();
        if (segments)
            Segments = segmentsMade ?? KernelPasses<T>.Segments(shape.Activation, shape.LayerCount == 2 ? Activation.Linear : shape.Activation,
                shape.Slots[0].FanOut, shape.Slots[1].FanOut, batch, SegmentsAlways);
        _layers = Enumerable.Range(0, shape.LayerCount).Select(PlanLayer).ToArray();
        (Chunks, ChunksWhy) = chunks ? ChooseChunks() : ([batch], "a batch other than the workspace's runs whole");
        DataParallel = Chunks.Count > 1;
        (OneHiddenLayerPass, OneHiddenLayerPassWhy) = ChooseOneHiddenLayerPass();
    }

    /// <summary>The plan for a workspace of <paramref name="batch"/> samples.</summary>
    public static KernelPlan<T> For(NetworkShape shape, int batch, KernelPlanInputs inputs) => new(shape, batch, inputs, null, chunks: true);

    public NetworkShape Shape { get; }

    /// <summary>The batch the plan was made for: a workspace's capacity.</summary>
    public int Batch { get; }

    public KernelPlanInputs Inputs { get; }

    /// <summary>The variant the layers run at: <see cref="KernelPlanInputs.Variant"/>, or a narrower width for a short batch.</summary>
    public KernelVariant Variant { get; }
    public string VariantWhy { get; }

    public IReadOnlyList<LayerPlan<T>> Layers => _layers;

    /// <summary>Layer l's plan (an array read: Mlp asks for it in every pass).</summary>
    public LayerPlan<T> Layer(int l) => _layers[l];

    readonly LayerPlan<T>[] _layers;

    /// <summary>The output layer's delta from the loss's dL/da (its bias gradient).</summary>
    public IDeltaPass<T> OutputDelta { get; }

    /// <summary>Layers 0 and 1 of a training step segment by segment, when chosen; their own paths run when it declines.</summary>
    public ISegmentsPass<T>? Segments { get; }
    public string SegmentsWhy { get; }

    /// <summary>Segments on every batch where a cut can be placed (asked for); else on the batches where the cost model
    /// says they are faster, from how many of the first layer's kinks lie inside the batch.</summary>
    public bool SegmentsAlways { get; }

    /// <summary>Sizes of the data-parallel chunks the batch is cut into: one (the batch) when it runs whole.</summary>
    public IReadOnlyList<int> Chunks { get; }
    public string ChunksWhy { get; }
    public bool DataParallel { get; }

    /// <summary>Whether a whole-batch solver's loss-and-gradient pass over blocks of this size runs as one
    /// <see cref="Kernels.Blocked.OneHiddenLayerGradient{T, TVec, TOps, TAct}"/> per lane (<see cref="MakeOneHiddenLayerPass"/>)
    /// rather than layer by layer.</summary>
    public bool OneHiddenLayerPass { get; }
    public string OneHiddenLayerPassWhy { get; }

    /// <summary>A new whole-pass gradient for this network at this plan's variant (each lane of a pass owns one).</summary>
    public Kernels.Blocked.IOneHiddenLayerGradient<T> MakeOneHiddenLayerPass() => OneHiddenLayerPass
        ? KernelPasses<T>.OneHiddenLayer(Variant, Shape.Activation, Shape.Inputs, Shape.Slots[0].FanOut)
        : throw new InvalidOperationException($"no one-hidden-layer pass: {OneHiddenLayerPassWhy}");

    /// <summary>Most units of the one-hidden-layer pass: a chunk's δ1 (units × 64 rows) stays within 32 KB of L1 in
    /// float64. Most weights in its first layer: the per-lane sums (a vector each, 64 KB at 512 bits) stay in L1 and L2
    /// beside it. Wider networks are the products' ground, which run at the multiply-add rate layer by layer.</summary>
    public const int OneHiddenLayerMaxUnits = 64, OneHiddenLayerMaxWeights = 1024;

    (bool, string) ChooseOneHiddenLayerPass()
    {
        var shape = Shape;
        var traits = shape.Activation.Traits();
        if (shape.LayerCount != 2 || shape.Outputs != 1)
            return (false, shape.LayerCount != 2 ? $"{shape.LayerCount - 1} hidden layers, not one" : $"{shape.Outputs} outputs, not one");
        if (!Variant.IsBlocked()) return (false, $"the {Variant.Name()} variant runs layer by layer");
        if (Inputs.Dropout) return (false, "dropout: the hidden layer's output is masked");
        if (!traits.HasVectorDerivative || !(traits.FusesIntoProducts || traits.HasLongForwardVector))
            return (false, $"{shape.Activation.Name()} has no vector form of its derivative or forward");
        int units = shape.Slots[0].FanOut;
        if (units > OneHiddenLayerMaxUnits || shape.Slots[0].WeightCount > OneHiddenLayerMaxWeights)
            return (false, $"{units} units and {shape.Slots[0].WeightCount} weights in layer 0: past {OneHiddenLayerMaxUnits} and {OneHiddenLayerMaxWeights}, the products layer by layer");
        return (true, $"one hidden layer of {units} {shape.Activation.Name()} units and one output: 64 rows at a time through both layers and back in L1, the sums reduced once a pass");
    }

    /// <summary>Samples [lo, hi) of chunk c.</summary>
    public (int Lo, int Hi) ChunkRange(int c) => Range(c, Chunks.Count, Batch);

    /// <summary>The plan for a batch of n samples in this plan's workspace (n ≤ <see cref="Batch"/>): this one, or one
    /// made once for n (its width and segments follow n; it shares this plan's segment buffers; it runs whole).</summary>
    public KernelPlan<T> ForBatch(int n)
    {
        if (n == Batch) return this;
        if (n < 0 || n > Batch) throw new ArgumentOutOfRangeException(nameof(n), n, $"the workspace holds {Batch} samples");
        foreach (var made in _others) if (made?.Batch == n) return made;
        var plan = new KernelPlan<T>(Shape, n, Inputs, Segments, chunks: false);
        int free = Array.IndexOf(_others, null);
        _others[free >= 0 ? free : _replace++ % _others.Length] = plan; // a workspace sees few sizes: the last block, one point
        return plan;
    }

    /// <summary>Vectors per row below which the machine's own 512-bit choice runs at 256 bits instead. A short row
    /// pays the per-row costs (the overlapping tail vector, the horizontal sums of the dot tiles, the one-input sums)
    /// on fewer vectors, and at 512 bits those costs are twice the lanes. Measured on the question's network
    /// (1-50-10-1, float32, products, Zen 5): b50 runs 15 % faster at 256 bits, b100 4 %, b128 is level
    /// (8 vectors of 16 lanes), b200 and b300 run 14 % and 22 % faster at 512 bits; the wide network crosses at
    /// the same batch (b64 256 bits by 6 %, b128 512 bits by 4 %).</summary>
    public const int Vector512MinVectors = 8;

    static (KernelVariant, string) ChooseVariant(KernelVariant variant, int batch)
    {
        bool machines = variant == KernelVariants.Chosen.Variant;
        string chosen = machines ? KernelVariants.ChosenBecause : "asked for by the caller";
        var v = Narrowed(variant, batch);
        if (v != variant) return (v, $"{variant.Name()} ({chosen}), narrowed: a batch of {batch} is shorter than one of its vectors");
        if (v == KernelVariant.Vector512 && machines && !KernelVariants.Forced && batch > 0 && batch < Vector512MinVectors * v.Lanes<T>()
            && KernelVariants.Supported.Contains(KernelVariant.Vector256))
            return (KernelVariant.Vector256, $"vector512 ({chosen}), narrowed: a batch of {batch} is under {Vector512MinVectors} of its vectors, where 256-bit vectors run faster");
        return (v, chosen);
    }

    /// <summary>The blocked variant a batch of n runs at: the variant, or the next narrower one while n is shorter than
    /// one of its vectors (their products need at least one vector of columns).</summary>
    internal static KernelVariant Narrowed(KernelVariant variant, int n)
    {
        var v = variant;
        while (v.IsBlocked() && n > 0 && n < v.Lanes<T>() && v.Narrower() is { } narrower) v = narrower;
        return v;
    }

    (bool Segments, bool Always, string Why) ChooseSegments()
    {
        var (shape, inputs) = (Shape, Inputs);
        if (!inputs.Training) return (false, false, "not a training step");
        if (!inputs.Segments) return (false, false, "turned off: every layer runs as a product");
        if (shape.LayerCount < 2 || shape.Inputs != 1) return (false, false, shape.Inputs != 1 ? $"{shape.Inputs} inputs, not one" : "one layer only");
        if (!shape.Activation.SupportsOneInputSegments()) return (false, false, $"{shape.Activation.Name()} units are not two-piece linear");
        if (inputs.Dropout) return (false, false, "dropout: the first layer's output is masked");
        if (inputs.Variant == KernelVariant.Naive) return (false, false, "the naive variant keeps every step plain");
        if (inputs.SegmentsAlways) return (true, true, "asked for wherever they apply");
        if (SegmentsOverride.Forced is bool forced)
            return (forced, forced, forced ? $"{SegmentsOverride.Note}: wherever they apply" : $"{SegmentsOverride.Note}: every layer runs as a product");
        // The most they could gain here; each step then asks again with the share of kinks inside its batch.
        int width = shape.Slots[0].FanOut, outputs = shape.Slots[1].FanOut;
        double best = SegmentsCost.BestSpeedUp(width, outputs, Batch);
        string note = SegmentsOverride.Note is { } n ? $" ({n})" : "";
        return best > 1
            ? (true, false, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"one input, {shape.Activation.Name()}: at batch {Batch} the cost model says they can be up to {best:0.00}× faster; each step runs them when the units with a kink inside its range of x make them faster than the products{note}"))
            : (false, false, string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"at batch {Batch} the cost model says the products are faster wherever the kinks lie (segments at best {best:0.00}× their speed){note}"));
    }

    LayerPlan<T> PlanLayer(int l)
    {
        var (shape, inputs, v) = (Shape, Inputs, Variant);
        int last = shape.LayerCount - 1;
        var slot = shape.Slots[l];
        var act = l < last ? shape.Activation : Activation.Linear;
        var below = shape.Activation; // every hidden layer's
        bool keepsZ = l < last && !(inputs.Training && act.Traits().IsTwoPieceLinear);
        string layout = l == last ? "a is z (linear output)" : keepsZ ? "z and a kept" : $"a kept alone ({act.Name()}'s derivative reads the sign of z, which a shows)";

        var (forward, forwardWhy) = v switch
        {
            KernelVariant.Naive => (ForwardPath.Naive, "the reference"),
            KernelVariant.Rows => (ForwardPath.Rows, "a row at a time"),
            _ when act.Traits().HasLongForwardVector => (ForwardPath.ProductThenActivation, $"{act.Name()}: NeuralFit's vector {act.Name()} in a pass after the product (too long for the epilogue)"),
            _ when !act.Traits().FusesIntoProducts => (ForwardPath.ProductThenActivation, $"{act.Name()} needs exp, erf or sin: a pass after the product"),
            _ when keepsZ => (ForwardPath.ProductStoresZAndA, $"{act.Name()} applied in the epilogue"),
            _ when act == Activation.Linear => (ForwardPath.ProductStoresZ, "linear: the epilogue stores z, which is a"),
            _ => (ForwardPath.ProductStoresA, $"{act.Name()} applied in the epilogue"),
        };

        bool oneInputFirst = shape.LayerCount >= 2 && shape.Slots[0].FanIn == 1;
        var (backward, backwardWhy) = l switch
        {
            0 when oneInputFirst => (BackwardPath.InLayerAbove, "one input: its gradients are sums over the batch, made in layer 1's pass"),
            _ when v == KernelVariant.Naive => (BackwardPath.Naive, "the reference"),
            _ when v == KernelVariant.Rows => (BackwardPath.Rows, "a row at a time"),
            0 => (BackwardPath.WeightsOnly, "the first layer: dw alone"),
            1 when oneInputFirst && !inputs.Dropout && slot.FanOut >= 4 && below.SupportsOneInputSegments() =>
                (BackwardPath.OneInputBelow, $"layer 0 has one input and {below.Name()} units, and {slot.FanOut} ≥ 4 units here fill the 5-row tiles: no dx"),
            _ when inputs.Dropout => (BackwardPath.ProductsThenDeltaPasses, "dropout below: its mask in a pass"),
            _ when !below.Traits().HasVectorDerivative => (BackwardPath.ProductsThenDeltaPasses, $"{below.Name()}'s derivative needs exp, erf or cos: a pass"),
            _ => (BackwardPath.ProductsFuseDelta, $"{below.Name()}'s derivative applied in dx's epilogue"),
        };
        return new LayerPlan<T>(l, slot, act, keepsZ, layout,
            forward, forwardWhy, KernelPasses<T>.Forward(v, act, forward),
            backward, backwardWhy, backward == BackwardPath.InLayerAbove ? null : KernelPasses<T>.Backward(v, below, backward));
    }

    (int[], string) ChooseChunks()
    {
        int count = Math.Max(1, Batch / ChunkSamples);
        if (!Inputs.Training) return ([Batch], "not a training step");
        if (count == 1) return ([Batch], $"batch {Batch} < {2 * ChunkSamples}: one pass");
        if (Inputs.Dropout) return ([Batch], "dropout draws its mask over the whole batch: one pass");
        var sizes = Enumerable.Range(0, count).Select(c => Range(c, count, Batch)).Select(r => r.Hi - r.Lo).ToArray();
        return (sizes, $"batch {Batch} ≥ {2 * ChunkSamples}: {count} chunks of ≥ {ChunkSamples}, on the cores a run may use; the same numbers on any");
    }

    static (int Lo, int Hi) Range(int c, int count, int n) => ((int)((long)c * n / count), (int)((long)(c + 1) * n / count));

    /// <summary>The plan in a few lines, for --verbose.</summary>
    public IEnumerable<string> Describe() => KernelPlanText.Describe(this);
}

/// <summary>One layer's paths in a <see cref="KernelPlan{T}"/>, each with the reason it was chosen.</summary>
/// <param name="KeepsZ">False when z and a share one buffer (the output layer; two-piece linear layers of a training step).</param>
/// <param name="Backward">Null for <see cref="BackwardPath.InLayerAbove"/>.</param>
internal sealed record LayerPlan<T>(int Index, DenseSlot Slot, Activation Activation, bool KeepsZ, string Layout,
    ForwardPath ForwardPath, string ForwardWhy, IForwardPass<T> Forward,
    BackwardPath BackwardPath, string BackwardWhy, IBackwardPass<T>? Backward) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>What a plan depends on besides the network shape, the batch and T.</summary>
internal sealed record KernelPlanInputs
{
    /// <summary>A training step's workspace: two-piece linear layers keep a alone, and segments and data-parallel
    /// chunks may run. False for prediction and whole-batch solvers' workspaces.</summary>
    public bool Training { get; init; }

    /// <summary>Let segments run where they pay (training only); false runs every layer as a product.</summary>
    public bool Segments { get; init; } = true;

    /// <summary>Dropout masks the hidden layers' outputs.</summary>
    public bool Dropout { get; init; }

    /// <summary>Segments wherever they apply, whether or not they pay: for tests of that path on small shapes.</summary>
    internal bool SegmentsAlways { get; init; }

    /// <summary>The machine's variant: NEURALFIT_KERNEL's, else the best the hardware runs (<see cref="KernelVariants.Chosen"/>).</summary>
    public KernelVariant Variant { get; init; } = KernelVariants.Chosen.Variant;

    public static KernelPlanInputs Prediction { get; } = new();
    public static KernelPlanInputs TrainingStep { get; } = new() { Training = true };
}
