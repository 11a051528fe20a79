using System.Numerics;
using System.Runtime.Intrinsics;
using NeuralFit.Networks.Kernels;
using NeuralFit.Networks.Kernels.Blocked;
using NeuralFit.Networks.Kernels.OneInput;
using NeuralFit.Networks.Kernels.Reference;

namespace NeuralFit.Networks;

/// <summary>A layer's forward pass, as <see cref="KernelPlan{T}"/> chooses it.</summary>
internal enum ForwardPath
{
    /// <summary>Kernels/Reference/DenseNaive: triple loops, the reference.</summary>
    Naive,
    /// <summary>Kernels/Reference/DenseRows: one TensorPrimitives call per row.</summary>
    Rows,
    /// <summary>One blocked product whose epilogue stores z and a = f(z).</summary>
    ProductStoresZAndA,
    /// <summary>One blocked product whose epilogue stores a = f(z) alone (z and a share a buffer).</summary>
    ProductStoresA,
    /// <summary>One blocked product storing z, which is a (the linear output layer, or a linear layer sharing its buffer).</summary>
    ProductStoresZ,
    /// <summary>One blocked product storing z, then a = f(z) in a pass of its own.</summary>
    ProductThenActivation,
}

/// <summary>A layer's backward pass, as <see cref="KernelPlan{T}"/> chooses it.</summary>
internal enum BackwardPath
{
    /// <summary>Kernels/Reference/DenseNaive.</summary>
    Naive,
    /// <summary>Kernels/Reference/DenseRows.</summary>
    Rows,
    /// <summary>dw by blocked dot products; nothing below (the first layer).</summary>
    WeightsOnly,
    /// <summary>dw, then dx by a blocked product whose epilogue makes the layer below's delta and bias gradient.</summary>
    ProductsFuseDelta,
    /// <summary>dw, dx, then the layer below's mask and derivative in passes of their own.</summary>
    ProductsThenDeltaPasses,
    /// <summary>Kernels/OneInput/OneInputBelow: dw and the one-input layer below's gradients from two sums, no dx.</summary>
    OneInputBelow,
    /// <summary>None of its own: a one-input first layer's gradients are made in layer 1's pass.</summary>
    InLayerAbove,
}

/// <summary>Code that runs with a blocked variant's vector types (see <see cref="KernelPasses{T}"/>).</summary>
interface IWidthVisitor<T, out TResult> where T : unmanaged, IFloatingPointIeee754<T>
{
    TResult Visit<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T>;
}

/// <summary>
/// The passes a <see cref="KernelPlan{T}"/> runs, made from its choices: a variant and an activation become type
/// parameters here (through <see cref="ActivationDispatch"/> and <see cref="Width"/>), so the passes the plan holds
/// run code the JIT specialised for them. No choice is made here; the plan makes them all.
/// </summary>
static class KernelPasses<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static IForwardPass<T> Forward(KernelVariant variant, Activation act, ForwardPath path) => act.Visit(new ForwardOf(variant, path));

    public static IDeltaPass<T> Delta(KernelVariant variant, Activation act) => act.Visit(new DeltaOf(variant));

    /// <param name="below">The layer below's activation (any, for the first layer, which has none below).</param>
    public static IBackwardPass<T> Backward(KernelVariant variant, Activation below, BackwardPath path) => below.Visit(new BackwardOf(variant, path));

    /// <param name="units">Layer 0's activation.</param>
    /// <param name="next">Layer 1's: the same when it is hidden, linear when it is the output layer.</param>
    /// <param name="always">Run on every batch, not only where the cost model says they pay.</param>
    public static ISegmentsPass<T> Segments(Activation units, Activation next, int width, int outputs, int capacity, bool always) =>
        units.Visit(new SegmentsOf(next, width, outputs, capacity, always));

    public static IOneHiddenLayerGradient<T> OneHiddenLayer(KernelVariant variant, Activation act, int inputs, int units) =>
        act.Visit(new OneHiddenLayerOf(variant, inputs, units));

    /// <summary>The one place a blocked variant becomes its vector types.</summary>
    static TResult Width<TResult>(KernelVariant variant, IWidthVisitor<T, TResult> visitor) => variant switch
    {
        KernelVariant.Vector512 => visitor.Visit<Vector512<T>, Vector512Ops<T>>(),
        KernelVariant.Vector256 => visitor.Visit<Vector256<T>, Vector256Ops<T>>(),
        KernelVariant.Vector128 => visitor.Visit<Vector128<T>, Vector128Ops<T>>(),
        KernelVariant.Scalar => visitor.Visit<T, ScalarOps<T>>(),
        _ => throw new ArgumentException($"{variant.Name()} is not a blocked variant", nameof(variant)),
    };

    sealed class ForwardOf(KernelVariant variant, ForwardPath path) : IActivationVisitor<T, IForwardPass<T>>
    {
        public IForwardPass<T> Visit<TAct>() where TAct : struct, IActivation<T> => path switch
        {
            ForwardPath.Naive => new ReferenceForward<T, DenseNaive, TAct>(),
            ForwardPath.Rows => new ReferenceForward<T, DenseRows, TAct>(),
            _ => Width(variant, new Blocked<TAct>(path)),
        };

        sealed class Blocked<TAct>(ForwardPath path) : IWidthVisitor<T, IForwardPass<T>> where TAct : struct, IActivation<T>
        {
            public IForwardPass<T> Visit<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T> => path switch
            {
                ForwardPath.ProductStoresZAndA => new ProductForward<T, TVec, TOps, StoreZAndA<T, TAct>>(),
                ForwardPath.ProductStoresA => new ProductForward<T, TVec, TOps, StoreA<T, TAct>>(),
                ForwardPath.ProductStoresZ => new ProductForward<T, TVec, TOps, StoreZ<T>>(),
                ForwardPath.ProductThenActivation => new ProductThenActivationForward<T, TVec, TOps, TAct>(),
                _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
            };
        }
    }

    sealed class DeltaOf(KernelVariant variant) : IActivationVisitor<T, IDeltaPass<T>>
    {
        public IDeltaPass<T> Visit<TAct>() where TAct : struct, IActivation<T> => variant switch
        {
            KernelVariant.Naive => new ReferenceDelta<T, DenseNaive, TAct>(),
            KernelVariant.Rows => new ReferenceDelta<T, DenseRows, TAct>(),
            _ => Width(variant, new Blocked<TAct>()),
        };

        sealed class Blocked<TAct> : IWidthVisitor<T, IDeltaPass<T>> where TAct : struct, IActivation<T>
        {
            public IDeltaPass<T> Visit<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T> => new BlockedDelta<T, TVec, TOps, TAct>();
        }
    }

    sealed class BackwardOf(KernelVariant variant, BackwardPath path) : IActivationVisitor<T, IBackwardPass<T>>
    {
        public IBackwardPass<T> Visit<TBelow>() where TBelow : struct, IActivation<T> => path switch
        {
            BackwardPath.Naive => new ReferenceBackward<T, DenseNaive, TBelow>(),
            BackwardPath.Rows => new ReferenceBackward<T, DenseRows, TBelow>(),
            _ => Width(variant, new Blocked<TBelow>(path)),
        };

        sealed class Blocked<TBelow>(BackwardPath path) : IWidthVisitor<T, IBackwardPass<T>> where TBelow : struct, IActivation<T>
        {
            public IBackwardPass<T> Visit<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T> => path switch
            {
                BackwardPath.WeightsOnly => new WeightsOnlyBackward<T, TVec, TOps>(),
                BackwardPath.ProductsFuseDelta => new FusedDeltaBackward<T, TVec, TOps, TBelow>(),
                BackwardPath.ProductsThenDeltaPasses => new DeltaInPassesBackward<T, TVec, TOps, TBelow>(),
                BackwardPath.OneInputBelow => new OneInputBelow<T, TVec, TOps, TBelow>(),
                _ => throw new ArgumentOutOfRangeException(nameof(path), path, null),
            };
        }
    }

    sealed class OneHiddenLayerOf(KernelVariant variant, int inputs, int units) : IActivationVisitor<T, IOneHiddenLayerGradient<T>>
    {
        public IOneHiddenLayerGradient<T> Visit<TAct>() where TAct : struct, IActivation<T> => Width(variant, new Blocked<TAct>(inputs, units));

        sealed class Blocked<TAct>(int inputs, int units) : IWidthVisitor<T, IOneHiddenLayerGradient<T>> where TAct : struct, IActivation<T>
        {
            public IOneHiddenLayerGradient<T> Visit<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T> =>
                new OneHiddenLayerGradient<T, TVec, TOps, TAct>(inputs, units);
        }
    }

    sealed class SegmentsOf(Activation next, int width, int outputs, int capacity, bool always) : IActivationVisitor<T, ISegmentsPass<T>>
    {
        public ISegmentsPass<T> Visit<TUnits>() where TUnits : struct, IActivation<T> => next.Visit(new Next<TUnits>(width, outputs, capacity, always));

        sealed class Next<TUnits>(int width, int outputs, int capacity, bool always) : IActivationVisitor<T, ISegmentsPass<T>> where TUnits : struct, IActivation<T>
        {
            public ISegmentsPass<T> Visit<TNext>() where TNext : struct, IActivation<T> => new OneInputSegments<T, TUnits, TNext>(width, outputs, capacity, always);
        }
    }
}
