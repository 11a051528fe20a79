using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;

namespace NeuralFit.Tests.Networks;

/// <summary>Back-propagated gradients against central finite differences of the loss, in float64.</summary>
public class GradientCheckTests
{
    public static TheoryData<Activation> Activations() => new(Enum.GetValues<Activation>());

    [Theory, MemberData(nameof(Activations))]
    public void EveryActivationMatchesFiniteDifferences(Activation act) => Check(new NetworkShape(2, [5, 4], 1, act), seed: 11);

    /// <summary>One input: the first layer's backward pass runs inside the second's (its delta and gradients are
    /// made in the epilogue of dx), so every activation is checked on this shape too, at a length with a vector tail.</summary>
    [Theory, MemberData(nameof(Activations))]
    public void OneInputNetworksMatchFiniteDifferences(Activation act) => Check(new NetworkShape(1, [6, 5], 1, act), seed: 14, n: 11);

    /// <summary>A training workspace keeps only a for ReLU-family layers (Z and A share a buffer).</summary>
    [Theory]
    [InlineData(Activation.Relu, 1)]
    [InlineData(Activation.LeakyRelu, 1)]
    [InlineData(Activation.Relu, 2)]
    [InlineData(Activation.Linear, 1)]
    public void TrainingWorkspacesMatchFiniteDifferences(Activation act, int inputs) =>
        Check(new NetworkShape(inputs, [6, 5], 1, act), seed: 16, n: 11, keepPreActivations: false);

    /// <summary>One-input ReLU-family networks train segment by segment (OneInputSegments): two, three and four layers.</summary>
    [Theory]
    [InlineData(Activation.Relu, new[] { 6, 5 })]
    [InlineData(Activation.LeakyRelu, new[] { 6, 5 })]
    [InlineData(Activation.Linear, new[] { 6, 5 })]
    [InlineData(Activation.Relu, new[] { 9 })]
    [InlineData(Activation.LeakyRelu, new[] { 7, 6, 4 })]
    public void SegmentedTrainingMatchesFiniteDifferences(Activation act, int[] hidden) =>
        Check(new NetworkShape(1, hidden, 1, act), seed: 18, n: 23, keepPreActivations: false, segments: true);

    /// <summary>Several outputs, through every path the plan takes for them: the products; the one-input first layer
    /// whose gradients layer 1's pass makes (the output layer itself with 5 outputs, ≥ 4 units); the segments.</summary>
    [Theory]
    [InlineData(2, new[] { 5, 4 }, 2, false, Activation.Tanh)]
    [InlineData(1, new[] { 6 }, 5, false, Activation.Relu)]
    [InlineData(1, new[] { 6, 5 }, 3, true, Activation.Relu)]
    [InlineData(1, new[] { 9 }, 2, true, Activation.LeakyRelu)]
    public void SeveralOutputsMatchFiniteDifferences(int inputs, int[] hidden, int outputs, bool segments, Activation act) =>
        Check(new NetworkShape(inputs, hidden, outputs, act), seed: 21, n: 13, keepPreActivations: segments ? false : inputs > 1, segments: segments);

    [Fact]
    public void OneInputNetworkWithDropoutMatchesFiniteDifferences() => Check(new NetworkShape(1, [7, 5], 1, Activation.Relu), seed: 15, dropout: 0.3, n: 13);

    [Fact]
    public void ThreeHiddenLayerNetworkMatchesFiniteDifferences() => Check(new NetworkShape(3, [6, 5, 4], 1, Activation.Tanh), seed: 12);

    [Fact]
    public void DropoutGradientsMatchFiniteDifferencesForAFixedMask() => Check(new NetworkShape(2, [6, 5], 1, Activation.Tanh), seed: 13, dropout: 0.3);

    [Fact]
    public void HandWorkedTinyNetwork()
    {
        // 1-1-1 ReLU, w1 = 2, b1 = -1, w2 = 3, b2 = 0.5, one sample x = 1, y = 0:
        // z1 = 1, a1 = 1, out = 3.5, loss = 12.25, dL/dout = 7, dL/dw2 = 7, dL/db2 = 7, dL/dw1 = 21, dL/db1 = 21.
        var net = new Mlp<double>(new NetworkShape(1, [1], 1, Activation.Relu), [2, -1, 3, 0.5]);
        var ws = new Workspace<double>(net.Shape, 1);
        ws.Input[0] = 1;
        ws.Target[0] = 0;
        var gradient = new double[4];
        net.Forward(ws, 1);
        double loss = MeanSquaredError.LossAndGradient<double>(ws.Output.AsSpan(0, 1), ws.Target.AsSpan(0, 1), ws.Delta[^1].AsSpan(0, 1));
        net.Backward(ws, 1, gradient);
        Assert.Equal(12.25, loss);
        Assert.Equal([21.0, 21.0, 7.0, 7.0], gradient);
    }

    static void Check(NetworkShape shape, ulong seed, double dropout = 0, int n = 7, bool keepPreActivations = true, bool segments = false)
    {
        var rng = new Rng(seed);
        var parameters = Enumerable.Range(0, shape.ParameterCount).Select(_ => 0.8 * rng.NextGaussian()).ToArray();
        var net = new Mlp<double>(shape, parameters);
        var ws = new Workspace<double>(shape, n, keepPreActivations
            ? KernelPlanInputs.Prediction : new KernelPlanInputs { Training = true, Segments = segments, SegmentsAlways = segments });
        Assert.Equal(segments, ws.Plan.Segments is not null);
        for (int i = 0; i < ws.Input.Length; i++) ws.Input[i] = rng.Uniform(-1, 1);
        int m = n * shape.Outputs; // targets and outputs (outputs, n)
        for (int i = 0; i < m; i++) ws.Target[i] = rng.Uniform(-1, 1);

        // With dropout the mask is redrawn on every forward pass: reseeding makes every pass draw the same mask.
        void ResetMask() => ws.EnableDropout(dropout, new Rng(99));
        var analytic = new double[shape.ParameterCount];
        ResetMask();
        net.Forward(ws, n);
        MeanSquaredError.LossAndGradient<double>(ws.Output.AsSpan(0, m), ws.Target.AsSpan(0, m), ws.Delta[^1].AsSpan(0, m));
        Assert.Equal(segments, ws.Plan.Segments is { Active: true });
        net.Backward(ws, n, analytic);

        double Loss()
        {
            ResetMask();
            net.Forward(ws, n);
            return MeanSquaredError.Loss<double>(ws.Output.AsSpan(0, m), ws.Target.AsSpan(0, m));
        }
        const double h = 1e-6;
        double worst = 0;
        int at = -1;
        double numericAt = 0;
        for (int p = 0; p < parameters.Length; p++)
        {
            double saved = parameters[p];
            parameters[p] = saved + h;
            double up = Loss();
            parameters[p] = saved - h;
            double down = Loss();
            parameters[p] = saved;
            double numeric = (up - down) / (2 * h);
            double diff = Math.Abs(numeric - analytic[p]) / Math.Max(1e-3, Math.Abs(numeric));
            if (diff > worst) (worst, at, numericAt) = (diff, p, numeric);
        }
        Assert.True(worst < 1e-6, $"{shape} {shape.Activation}: gradient [{at}] analytic {(at >= 0 ? analytic[at] : 0)} vs numeric {numericAt} (relative difference {worst:G3})");
    }
}
