using NeuralFit.Networks;

namespace NeuralFit.Tests.Networks;

/// <summary>The kernel plan picks each layer's path as the table at the top of KernelPlan.cs says, and says why.</summary>
public class KernelPlanTests
{
    static readonly NetworkShape Question = new(1, [50, 10], 1, Activation.Relu);
    static readonly KernelPlanInputs Blocked = KernelPlanInputs.TrainingStep with { Variant = KernelVariant.Scalar }; // runs on every machine

    [Fact]
    public void TheQuestionsNetworkAtBatch500RunsProductsAndAWideOneSegmentsWhereTheyPay()
    {
        var wide = KernelPlan<float>.For(new NetworkShape(1, [256, 256], 1, Activation.Relu), 512, Blocked);
        Assert.NotNull(wide.Segments);
        Assert.False(wide.SegmentsAlways); // each step asks the cost model with its batch's kinks
        Assert.Contains("up to 2.19× faster", wide.SegmentsWhy);
        var plan = KernelPlan<float>.For(Question, 500, Blocked);
        Assert.Null(plan.Segments); // even with every kink inside the batch, the products are faster (measured 10.2 µs vs 10.5)
        Assert.Contains("products are faster wherever the kinks lie", plan.SegmentsWhy);
        Assert.True(KernelPlan<float>.For(Question, 500, Blocked with { SegmentsAlways = true }).SegmentsAlways);
        Assert.Equal([ForwardPath.ProductStoresA, ForwardPath.ProductStoresA, ForwardPath.ProductStoresZ], plan.Layers.Select(l => l.ForwardPath));
        Assert.Equal([BackwardPath.InLayerAbove, BackwardPath.OneInputBelow, BackwardPath.ProductsFuseDelta], plan.Layers.Select(l => l.BackwardPath));
        Assert.All(plan.Layers, l => Assert.False(l.KeepsZ)); // relu's derivative reads the sign, which a shows
        Assert.Null(plan.Layers[0].Backward);
        Assert.False(plan.DataParallel);
    }

    [Fact]
    public void AtBatch50TheProductsArePlanned()
    {
        var plan = KernelPlan<float>.For(Question, 50, Blocked);
        Assert.Null(plan.Segments);
        Assert.Contains("products are faster", plan.SegmentsWhy);
        Assert.Null(KernelPlan<float>.For(Question, 500, Blocked with { Segments = false }).Segments);
    }

    [Fact]
    public void PredictionKeepsZAndNeverSegmentsOrSplits()
    {
        var plan = KernelPlan<double>.For(Question, 2048, KernelPlanInputs.Prediction with { Variant = KernelVariant.Scalar });
        Assert.Null(plan.Segments);
        Assert.False(plan.DataParallel);
        Assert.Equal([true, true, false], plan.Layers.Select(l => l.KeepsZ));
        Assert.Equal([ForwardPath.ProductStoresZAndA, ForwardPath.ProductStoresZAndA, ForwardPath.ProductStoresZ], plan.Layers.Select(l => l.ForwardPath));
    }

    [Theory]
    [InlineData(Activation.Tanh, nameof(ForwardPath.ProductThenActivation), nameof(BackwardPath.ProductsFuseDelta))]  // NeuralFit's vector tanh in a pass; 1 − a² in dx's epilogue
    [InlineData(Activation.Sigmoid, nameof(ForwardPath.ProductThenActivation), nameof(BackwardPath.ProductsFuseDelta))]
    [InlineData(Activation.Gelu, nameof(ForwardPath.ProductThenActivation), nameof(BackwardPath.ProductsThenDeltaPasses))] // erf: passes of their own
    public void SmoothActivationsRunInPassesAndFuseShortDerivatives(Activation act, string hiddenForwardPath, string intoHiddenPath)
    {
        var (hiddenForward, intoHidden) = (Enum.Parse<ForwardPath>(hiddenForwardPath), Enum.Parse<BackwardPath>(intoHiddenPath)); // by name: the plan's types are internal
        var plan = KernelPlan<float>.For(new NetworkShape(2, [8, 8], 1, act), 64, Blocked);
        Assert.Null(plan.Segments);
        Assert.Equal([hiddenForward, hiddenForward, ForwardPath.ProductStoresZ], plan.Layers.Select(l => l.ForwardPath));
        Assert.Equal([BackwardPath.WeightsOnly, intoHidden, intoHidden], plan.Layers.Select(l => l.BackwardPath));
        Assert.Equal([true, true, false], plan.Layers.Select(l => l.KeepsZ));
    }

    [Fact]
    public void DropoutTurnsOffSegmentsTheOneInputPathChunksAndFusedDeltas()
    {
        var plan = KernelPlan<float>.For(Question, 2048, Blocked with { Dropout = true });
        Assert.Null(plan.Segments);
        Assert.False(plan.DataParallel);
        Assert.Equal([BackwardPath.InLayerAbove, BackwardPath.ProductsThenDeltaPasses, BackwardPath.ProductsThenDeltaPasses],
            plan.Layers.Select(l => l.BackwardPath));
    }

    [Fact]
    public void NarrowLayersAboveOneInputTakeTheProducts()
    {
        var plan = KernelPlan<float>.For(new NetworkShape(1, [6, 3], 1, Activation.LeakyRelu), 40, Blocked with { Segments = false });
        Assert.Equal(BackwardPath.ProductsFuseDelta, plan.Layers[1].BackwardPath); // 3 units: the 5-row tiles would be mostly empty
    }

    [Fact]
    public void TheReferenceVariantsRunEveryLayerTheirWay()
    {
        var naive = KernelPlan<float>.For(Question, 500, KernelPlanInputs.TrainingStep with { Variant = KernelVariant.Naive });
        Assert.Null(naive.Segments); // the naive variant keeps every step plain
        Assert.All(naive.Layers, l => Assert.Equal(ForwardPath.Naive, l.ForwardPath));
        Assert.Equal([BackwardPath.InLayerAbove, BackwardPath.Naive, BackwardPath.Naive], naive.Layers.Select(l => l.BackwardPath));
        var rows = KernelPlan<float>.For(new NetworkShape(1, [100], 1, Activation.Relu), 500, KernelPlanInputs.TrainingStep with { Variant = KernelVariant.Rows });
        Assert.NotNull(rows.Segments);
        Assert.All(rows.Layers, l => Assert.Equal(ForwardPath.Rows, l.ForwardPath));
    }

    [Fact]
    public void ABatchShorterThanAVectorRunsAtTheNextNarrowerWidth()
    {
        if (!KernelVariants.Supported.Contains(KernelVariant.Vector256)) return; // nothing narrower to show here
        var inputs = KernelPlanInputs.Prediction with { Variant = KernelVariant.Vector256 };
        var plan = KernelPlan<float>.For(Question, 64, inputs);
        Assert.Equal(KernelVariant.Vector256, plan.Variant);
        Assert.Equal(KernelVariant.Vector128, plan.ForBatch(5).Variant); // 8 floats to a 256-bit vector, 4 to a 128-bit one
        Assert.Equal(KernelVariant.Scalar, plan.ForBatch(3).Variant);
        Assert.Same(plan.ForBatch(5), plan.ForBatch(5)); // made once
        Assert.Equal(KernelVariant.Vector128, KernelPlan<double>.For(Question, 3, inputs).Variant); // 4 doubles, 2 doubles
        Assert.Contains("narrowed", plan.ForBatch(3).VariantWhy);
    }

    [Fact]
    public void TheMachinesOwnVector512RunsBatchesUnderEightVectorsAt256Bits()
    {
        if (KernelVariants.Chosen.Variant != KernelVariant.Vector512 || KernelVariants.Forced) return; // only where 512 bits is the machine's own choice
        var step = KernelPlanInputs.TrainingStep;
        var short50 = KernelPlan<float>.For(Question, 50, step);
        Assert.Equal(KernelVariant.Vector256, short50.Variant);
        Assert.Contains("under 8 of its vectors", short50.VariantWhy);
        Assert.Equal(KernelVariant.Vector512, KernelPlan<float>.For(Question, 128, step).Variant); // 8 × 16 floats
        Assert.Equal(KernelVariant.Vector256, KernelPlan<double>.For(Question, 63, step).Variant);
        Assert.Equal(KernelVariant.Vector512, KernelPlan<double>.For(Question, 64, step).Variant); // 8 × 8 doubles
        Assert.Equal(KernelVariant.Vector256, KernelPlan<float>.For(Question, 500, step).ForBatch(100).Variant); // a last, short block
    }

    [Fact]
    public void LargeTrainingBatchesAreCutIntoChunksEachWithItsOwnPlan()
    {
        var plan = KernelPlan<float>.For(Question, 1536, Blocked);
        Assert.Equal([512, 512, 512], plan.Chunks);
        Assert.Equal((512, 1024), plan.ChunkRange(1));
        Assert.False(plan.ForBatch(700).DataParallel);
        var text = string.Join("\n", plan.Describe());
        Assert.Contains("512 + 512 + 512", text);
        Assert.Contains("batch 512", text); // the chunks' own plan
    }

    [Fact]
    public void TheDescriptionNamesEveryLayersPathsAndReasons()
    {
        var lines = KernelPlan<float>.For(Question, 500, Blocked).Describe().ToList();
        Assert.StartsWith("kernel plan: 1-50-10-1 relu, float32, batch 500, a training step", lines[0]);
        Assert.Contains(lines, l => l.Contains("segments   no: at batch 500 the cost model says the products are faster"));
        Assert.Contains(lines, l => l.Contains("one input below") && l.Contains("no dx"));
        Assert.Contains(lines, l => l.Contains("layer 2    10→1 linear"));
    }
}
