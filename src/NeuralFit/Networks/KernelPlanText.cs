using System.Globalization;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace NeuralFit.Networks;

/// <summary>A <see cref="KernelPlan{T}"/> in words: which path runs for each layer and why (for --verbose).</summary>
static class KernelPlanText
{
    public static IEnumerable<string> Describe<T>(KernelPlan<T> p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var inv = CultureInfo.InvariantCulture;
        string precision = typeof(T) == typeof(double) ? "float64" : typeof(T) == typeof(float) ? "float32" : typeof(T).Name;
        string use = p.Inputs.Training ? "a training step" : "prediction";
        yield return string.Create(inv, $"kernel plan: {p.Shape} {p.Shape.Activation.Name()}, {precision}, batch {p.Batch}, {use}{(p.Inputs.Dropout ? ", dropout" : "")}");
        if (p.DataParallel)
        {
            // The chunks do the work, each by its own plan.
            yield return $"  chunks     {string.Join(" + ", p.Chunks)}: {p.ChunksWhy}";
            foreach (int size in p.Chunks.Distinct())
                foreach (var line in Describe(KernelPlan<T>.For(p.Shape, size, p.Inputs)).Skip(1))
                    yield return $"  {line}";
            yield break;
        }
        yield return $"  variant    {p.Variant.Name()}: {p.VariantWhy}";
        if (p.Inputs.Training)
            yield return p.Segments is null ? $"  segments   no: {p.SegmentsWhy}"
                : $"  segments   layers 0-1: {p.SegmentsWhy} (when a cut cannot be placed, those layers take the paths below)";
        foreach (var l in p.Layers)
        {
            yield return string.Create(inv, $"  layer {l.Index}    {l.Slot.FanIn}→{l.Slot.FanOut} {l.Activation.Name()}; {l.Layout}");
            yield return $"    forward  {Name(l.ForwardPath)}{Tiles(l, p.Variant)}: {l.ForwardWhy}";
            yield return $"    backward {Name(l.BackwardPath)}: {l.BackwardWhy}";
        }
        yield return $"  output     the loss's dL/dz summed into the output bias at {p.Inputs.Variant.Name()}";
        if (!p.Inputs.Training)
            yield return $"  solvers    loss and gradient {(p.OneHiddenLayerPass ? "in one kernel" : "layer by layer")}: {p.OneHiddenLayerPassWhy}";
        if (p.Inputs.Training) yield return $"  chunks     none: {p.ChunksWhy}";
    }

    static string Name(ForwardPath path) => path switch
    {
        ForwardPath.Naive => "naive",
        ForwardPath.Rows => "rows",
        ForwardPath.ProductStoresZAndA => "product, epilogue stores z and a",
        ForwardPath.ProductStoresA => "product, epilogue stores a",
        ForwardPath.ProductStoresZ => "product, epilogue stores z",
        ForwardPath.ProductThenActivation => "product, then an activation pass",
        _ => path.ToString(),
    };

    static string Name(BackwardPath path) => path switch
    {
        BackwardPath.Naive => "naive",
        BackwardPath.Rows => "rows",
        BackwardPath.WeightsOnly => "dw product",
        BackwardPath.ProductsFuseDelta => "dw and dx products, delta in dx's epilogue",
        BackwardPath.ProductsThenDeltaPasses => "dw and dx products, delta in passes",
        BackwardPath.OneInputBelow => "one input below",
        BackwardPath.InLayerAbove => "in layer 1's pass",
        _ => path.ToString(),
    };

    // The tile shape the forward product takes for this layer's rows (BlockedGemm picks it from the row count).
    static string Tiles<T>(LayerPlan<T> l, KernelVariant v) where T : unmanaged, IFloatingPointIeee754<T> =>
        !v.IsBlocked() ? ""
        : v == KernelVariant.Vector512 ? (Kernels.Blocked.BlockedGemm<T, Vector512<T>, Kernels.Vector512Ops<T>>.FiveRows(l.Slot.FanOut) ? " (10×2 tiles)" : " (8×3 tiles)")
        : Kernels.Blocked.BlockedGemm<T, T, Kernels.ScalarOps<T>>.FiveRows(l.Slot.FanOut) ? " (5×2 tiles)" : " (4×3 tiles)";
}
