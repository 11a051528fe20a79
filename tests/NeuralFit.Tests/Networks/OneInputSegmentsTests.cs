using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;
using NeuralFit.Networks.Kernels.OneInput;
using NeuralFit.Sampling;
using NeuralFit.Training;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// Training steps of one-input ReLU-family networks done segment by segment (OneInputSegments) against the same
/// steps through the dense kernels: loss, every gradient, and each sample's output.
/// </summary>
public class OneInputSegmentsTests
{
    public static TheoryData<Activation, int[], int, bool> Cases() => new()
    {
        { Activation.Relu, [50, 10], 500, false },
        { Activation.Relu, [50, 10], 500, true },
        { Activation.Relu, [6], 61, false },
        { Activation.LeakyRelu, [12, 7, 3], 203, false },
        { Activation.LeakyRelu, [9, 4], 80, true },
        { Activation.Linear, [8, 5], 77, false },
        { Activation.Relu, [3, 40], 1000, false },
        { Activation.Relu, [100, 64], 256, false }, // runs of about 2.5 samples: most vectors straddle segments
    };

    [Theory, MemberData(nameof(Cases))]
    public void Float64StepMatchesTheDenseStep(Activation act, int[] hidden, int n, bool sorted) =>
        Compare<double>(new NetworkShape(1, hidden, 1, act), n, sorted, tolerance: 1e-11);

    [Theory, MemberData(nameof(Cases))]
    public void Float32StepMatchesTheDenseStep(Activation act, int[] hidden, int n, bool sorted) =>
        Compare<float>(new NetworkShape(1, hidden, 1, act), n, sorted, tolerance: 2e-5);

    /// <summary>Several outputs: the segments reorder every target row with the samples, and layer 1 (the output
    /// layer of a one-layer network) has one row per output.</summary>
    [Theory]
    [InlineData(Activation.Relu, new[] { 50, 10 }, 2, 500)]
    [InlineData(Activation.Relu, new[] { 6 }, 3, 61)]
    [InlineData(Activation.LeakyRelu, new[] { 12, 7 }, 2, 203)]
    public void SeveralOutputsMatchTheDenseStep(Activation act, int[] hidden, int outputs, int n)
    {
        Compare<double>(new NetworkShape(1, hidden, outputs, act), n, sorted: false, tolerance: 1e-11);
        Compare<float>(new NetworkShape(1, hidden, outputs, act), n, sorted: false, tolerance: 2e-5);
    }

    [Fact]
    public void ASampleExactlyOnACutHasTheReferenceSlope()
    {
        // Unit 0: z = −0.25 + 0.5·x is exactly 0 at x = 0.5, where ReLU's slope is 0; its twin (unit 1) ties its cut.
        var shape = new NetworkShape(1, [2], 1, Activation.Relu);
        double[] parameters = [0.5, 0.5, -0.25, -0.25, 1.5, -2, 0.1];
        var x = Enumerable.Range(0, 48).Select(i => i / 47.0).Append(0.5).Append(0.5).ToArray();
        var (dense, _, _) = Step<double>(shape, parameters, x, segments: false);
        var (segmented, _, active) = Step<double>(shape, parameters, x, segments: true, out _, always: true);
        Assert.True(active);
        Approx.AssertClose(dense, segmented, 1e-13, "gradient");
    }

    [Theory]
    [InlineData(1, 50, 10, 50, false)]  // the question's network at batch 50: the products are faster
    [InlineData(1, 50, 10, 500, false)] // at batch 500 too, wherever its kinks lie (the products skip units with none inside)
    [InlineData(1, 50, 10, 1000, true)] // at batch 1000 the segments may pay: each step decides
    [InlineData(1, 10, 10, 500, false)] // narrow layers
    [InlineData(1, 256, 256, 256, true)]
    [InlineData(1, 100, 100, 32, false)]
    [InlineData(1, 50, 1, 200, true)]
    public void SegmentsAreTakenWhereTheyPay(int inputs, int width, int outputs, int n, bool taken)
    {
        var shape = outputs == 1 ? new NetworkShape(inputs, [width], 1, Activation.Relu) : new NetworkShape(inputs, [width, outputs], 1, Activation.Relu);
        Assert.Equal(taken, KernelPlan<float>.For(shape, n, KernelPlanInputs.TrainingStep).Segments is not null);
    }

    [Fact]
    public void EachStepChoosesByTheKinksInsideItsBatch()
    {
        // 1-50-1 at batch 50: the segments pay when few kinks lie inside the batch, the products when all do (the
        // products' cost hardly moves with one output; the segments' grows with the segments that hold samples).
        var shape = new NetworkShape(1, [50], 1, Activation.Relu);
        Assert.True(SegmentsCost.SpeedUp(50, 1, 50, 0) > 1 && SegmentsCost.SpeedUp(50, 1, 50, 50) < 1);
        var x = Enumerable.Range(0, 50).Select(i => i / 49.0).ToArray();
        var outside = RandomParameters(shape, new Rng(5));
        var inside = (double[])outside.Clone();
        var slot = shape.Slots[0];
        for (int i = 0; i < 50; i++)
        {
            (outside[slot.WeightOffset + i], outside[slot.BiasOffset + i]) = (i % 2 == 0 ? 1 : -1, i % 2 == 0 ? 0.5 + i : -0.5 - i); // on or off throughout
            (inside[slot.WeightOffset + i], inside[slot.BiasOffset + i]) = (i % 2 == 0 ? 1 : -1, (i % 2 == 0 ? -1 : 1) * (i + 0.5) / 50); // a kink at (i + ½)/50
        }
        Assert.Equal(0, SegmentsCost.KinksInside<double>(outside.AsSpan(slot.WeightOffset, 50), outside.AsSpan(slot.BiasOffset, 50), 0, 1, linear: false));
        Assert.Equal(50, SegmentsCost.KinksInside<double>(inside.AsSpan(slot.WeightOffset, 50), inside.AsSpan(slot.BiasOffset, 50), 0, 1, linear: false));
        Assert.True(Step<double>(shape, outside, x, segments: true).Active);
        Assert.False(Step<double>(shape, inside, x, segments: true).Active);
        Assert.True(Step<double>(shape, inside, x, segments: true, out _, always: true).Active); // asked for: every step
    }

    [Fact]
    public void TiedCutsAreOrderedByUnitWhateverCameBefore()
    {
        // Units 0 and 3 cross just above x = 0.5 (the first float where z > 0), unit 2 at 0.5 (z ≤ 0 from there), unit 1
        // above 0.25: 0 and 3 tie. A fresh order and one left by other cuts (where 3 came before 0) agree.
        var fresh = new SegmentCuts<double>(4);
        var used = new SegmentCuts<double>(4);
        Assert.True(used.Place<Relu<double>>([-1, 1, 2, 3], [0.9, -0.1, 0.2, 0.3]));
        Assert.True(fresh.Place<Relu<double>>([1, 1, -2, 4], [-0.5, -0.25, 1, -2]));
        Assert.True(used.Place<Relu<double>>([1, 1, -2, 4], [-0.5, -0.25, 1, -2]));
        Assert.Equal([1, 2, 0, 3], fresh.Order);
        Assert.Equal(fresh.Order, used.Order);
    }

    [Fact]
    public void NonFiniteParametersAndSmallBatchesRunTheDenseKernels()
    {
        var shape = new NetworkShape(1, [100], 1, Activation.Relu);
        var parameters = RandomParameters(shape, new Rng(3));
        var (_, _, active) = Step<double>(shape, parameters, Inputs(new Rng(4), 500, false), segments: true);
        Assert.True(active);
        var question = new NetworkShape(1, [50, 10], 1, Activation.Relu);
        (_, _, active) = Step<double>(question, RandomParameters(question, new Rng(3)), Inputs(new Rng(4), 50, false), segments: true);
        Assert.False(active); // 50 samples over 51 segments: the products are faster
        var empty = new Workspace<double>(shape, 4, new KernelPlanInputs { Training = true, SegmentsAlways = true });
        new Mlp<double>(shape, parameters).Forward(empty, 0); // an empty batch
        Assert.False(empty.Plan.Segments is { Active: true });
        parameters[3] = double.NaN;
        (_, _, active) = Step<double>(shape, parameters, Inputs(new Rng(4), 500, false), segments: true);
        Assert.False(active);
    }

    static void Compare<T>(NetworkShape shape, int n, bool sorted, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var rng = new Rng((ulong)(n * 31 + shape.ParameterCount));
        var parameters = RandomParameters(shape, rng);
        var x = Inputs(rng, n, sorted);
        var (dense, denseLoss, _) = Step<T>(shape, parameters, x, segments: false, out var denseOut);
        var (segmented, loss, active) = Step<T>(shape, parameters, x, segments: true, out var segmentedOut, always: true);
        Assert.True(active);
        Assert.True(Math.Abs(loss - denseLoss) <= tolerance * Math.Max(1, denseLoss), $"loss {loss} vs {denseLoss}");
        Approx.AssertClose(dense, segmented, tolerance, "gradient");
        Approx.AssertClose(denseOut, segmentedOut, tolerance, "outputs by x");
    }

    // Weights and biases from N(0, 0.8²), with the first layer's special units: a dead one, one with w = 0 (on and
    // off), and a twin of unit 0 (tied cuts).
    static double[] RandomParameters(NetworkShape shape, Rng rng)
    {
        var p = Enumerable.Range(0, shape.ParameterCount).Select(_ => 0.8 * rng.NextGaussian()).ToArray();
        var first = shape.Slots[0];
        if (first.FanOut >= 5)
        {
            (p[first.WeightOffset + 1], p[first.BiasOffset + 1]) = (-0.7, -0.2);
            (p[first.WeightOffset + 2], p[first.BiasOffset + 2]) = (0, 0.3);
            (p[first.WeightOffset + 3], p[first.BiasOffset + 3]) = (0, -0.3);
            (p[first.WeightOffset + 4], p[first.BiasOffset + 4]) = (p[first.WeightOffset], p[first.BiasOffset]);
        }
        return p;
    }

    static double[] Inputs(Rng rng, int n, bool sorted)
    {
        var x = Enumerable.Range(0, n).Select(_ => rng.Uniform(-1.5, 1.5)).ToArray();
        if (n > 3) x[n / 2] = x[1]; // a repeated sample
        return sorted ? x.Order().ToArray() : x;
    }

    static (double[] Gradient, double Loss, bool Active) Step<T>(NetworkShape shape, double[] parameters, double[] x, bool segments)
        where T : unmanaged, IFloatingPointIeee754<T> => Step<T>(shape, parameters, x, segments, out _);

    // One training step's loss and gradient on targets y_o = sin(3x + o), one per output; also each sample's outputs,
    // in the order of x.
    static (double[] Gradient, double Loss, bool Active) Step<T>(NetworkShape shape, double[] parameters, double[] x, bool segments,
        out double[] outputsByX, bool always = false) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Length, k = shape.Outputs;
        var net = new Mlp<T>(shape, parameters.Select(T.CreateChecked).ToArray());
        var ws = new Workspace<T>(shape, n, new KernelPlanInputs { Training = true, Segments = segments, SegmentsAlways = always });
        for (int j = 0; j < n; j++)
        {
            ws.Input[j] = T.CreateChecked(x[j]);
            for (int o = 0; o < k; o++) ws.Target[o * n + j] = T.CreateChecked(Math.Sin(3 * x[j] + o));
        }
        var gradient = new T[shape.ParameterCount];
        net.Forward(ws, n);
        bool active = ws.Plan.Segments is { Active: true };
        double loss = MeanSquaredError.LossAndGradient<T>(ws.Output.AsSpan(0, n * k), ws.Target.AsSpan(0, n * k), ws.Delta[^1].AsSpan(0, n * k));
        net.Backward(ws, n, gradient);
        outputsByX = Enumerable.Range(0, n).OrderBy(j => double.CreateChecked(ws.Input[j]))
            .SelectMany(j => Enumerable.Range(0, k).Select(o => double.CreateChecked(ws.Output[o * n + j]))).ToArray();
        return (gradient.Select(double.CreateChecked).ToArray(), loss, active);
    }
}
