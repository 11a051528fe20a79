using NeuralFit.Networks;
using NeuralFit.Networks.Kernels.Blocked;
using NeuralFit.Sampling;
using NeuralFit.Training;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// The whole-pass gradient of one-hidden-layer networks (Kernels/Blocked/OneHiddenLayerGradient) against the naive
/// reference (Mlp's forward and backward by DenseNaive, and MeanSquaredError), at every blocked width, over every
/// row count up to two chunks and a tail, with unit and input counts that leave remainders to the 4 × 4 tiles.
/// </summary>
public class OneHiddenLayerGradientTests
{
    static readonly KernelVariant[] Widths = KernelVariants.Supported.Where(v => v.IsBlocked()).ToArray();

    static (double[] Theta, double[] X, double[] Y) Problem(NetworkShape shape, int rows, int seed)
    {
        var rng = new Rng((ulong)seed);
        var theta = Enumerable.Range(0, shape.ParameterCount).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var x = Enumerable.Range(0, shape.Inputs * rows).Select(_ => rng.Uniform(-2, 2)).ToArray(); // (inputs, rows)
        var y = Enumerable.Range(0, rows).Select(_ => rng.Uniform(-1, 1)).ToArray();
        return (theta, x, y);
    }

    /// <summary>Σ r² and scale·Σ r ∂y/∂θ by the naive kernels.</summary>
    static (double SumOfSquares, double[] Gradient) Naive(NetworkShape shape, double[] theta, double[] x, double[] y, int rows, double scale)
    {
        var gradient = new double[shape.ParameterCount];
        if (rows == 0) return (0, gradient);
        var ws = new Workspace<double>(shape, rows, KernelPlanInputs.Prediction with { Variant = KernelVariant.Naive });
        var network = new Mlp<double>(shape, theta);
        x.CopyTo(ws.Input, 0);
        network.Forward(ws, rows);
        double sum = MeanSquaredError.SumAndGradient<double>(ws.Output.AsSpan(0, rows), y, ws.Delta[^1].AsSpan(0, rows), scale);
        network.Backward(ws, rows, gradient);
        return (sum, gradient);
    }

    /// <summary>The rows in blocks cut at <paramref name="cuts"/> (each a multiple of the lanes), through the fast pass.</summary>
    static (double SumOfSquares, double[] Gradient) Fast(IOneHiddenLayerGradient<double> pass, NetworkShape shape, double[] theta, double[] x,
        double[] y, int rows, double scale, params int[] cuts)
    {
        var gradient = new double[shape.ParameterCount];
        pass.Begin();
        int[] bounds = [0, .. cuts, rows];
        for (int b = 0; b + 1 < bounds.Length; b++)
        {
            int from = bounds[b], n = bounds[b + 1] - from, stride = (n + pass.Lanes - 1) / pass.Lanes * pass.Lanes;
            var block = new double[shape.Inputs * stride]; // zero past n, as NetworkData pads them
            for (int k = 0; k < shape.Inputs; k++) x.AsSpan(k * rows + from, n).CopyTo(block.AsSpan(k * stride));
            pass.Add(block, stride, y.AsSpan(from, n), n, theta, scale);
        }
        return (pass.End(gradient), gradient);
    }

    public static TheoryData<Activation, int, int> Shapes() => new()
    {
        { Activation.Tanh, 8, 32 },
        { Activation.Tanh, 9, 7 }, // an input past the 4 × 4 tiles, three units past the groups of four
        { Activation.Sigmoid, 3, 5 },
        { Activation.Relu, 5, 6 },
        { Activation.LeakyRelu, 1, 4 },
        { Activation.Linear, 2, 3 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void MatchesTheNaiveKernelsForEveryRowCountAndWidth(Activation act, int inputs, int units)
    {
        var shape = new NetworkShape(inputs, [units], 1, act);
        const int most = 2 * 64 + 17; // two chunks and every tail length at every width
        var (theta, xAll, yAll) = Problem(shape, most, seed: inputs * 100 + units);
        foreach (var variant in Widths)
        {
            var pass = KernelPlan<double>.For(shape, 256, KernelPlanInputs.Prediction with { Variant = variant }).MakeOneHiddenLayerPass();
            for (int rows = 0; rows <= most; rows++)
            {
                var x = new double[inputs * rows];
                for (int k = 0; k < inputs; k++) xAll.AsSpan(k * most, rows).CopyTo(x.AsSpan(k * rows));
                var y = yAll[..rows];
                var (sum, gradient) = Naive(shape, theta, x, y, rows, 0.5);
                var (fastSum, fastGradient) = Fast(pass, shape, theta, x, y, rows, 0.5);
                Assert.True(Math.Abs(fastSum - sum) <= 1e-12 * Math.Max(1, sum), $"{variant.Name()}, {rows} rows: Σr² {fastSum} vs {sum}");
                Approx.AssertClose(gradient, fastGradient, 1e-11, $"{variant.Name()}, {rows} rows, gradient");
            }
        }
    }

    [Fact]
    public void BlocksCutAtMultiplesOfTheLanesGiveTheSameBits()
    {
        var shape = new NetworkShape(9, [7], 1, Activation.Tanh);
        const int rows = 203;
        var (theta, x, y) = Problem(shape, rows, seed: 3);
        foreach (var variant in Widths)
        {
            var pass = KernelPlan<double>.For(shape, 256, KernelPlanInputs.Prediction with { Variant = variant }).MakeOneHiddenLayerPass();
            int lanes = pass.Lanes;
            var (whole, wholeGradient) = Fast(pass, shape, theta, x, y, rows, 1.0);
            var (cut, cutGradient) = Fast(pass, shape, theta, x, y, rows, 1.0, 8 * lanes, 9 * lanes, 20 * lanes);
            Assert.Equal(whole, cut);
            Assert.Equal(wholeGradient, cutGradient);
        }
    }

    [Fact]
    public void ThePlanRunsItForOneHiddenLayerAndOneOutputOnly()
    {
        static KernelPlan<double> Plan(NetworkShape shape, KernelVariant variant = KernelVariant.Scalar) =>
            KernelPlan<double>.For(shape, 256, KernelPlanInputs.Prediction with { Variant = variant });
        Assert.True(Plan(new NetworkShape(8, [32], 1, Activation.Tanh)).OneHiddenLayerPass);
        Assert.False(Plan(new NetworkShape(8, [32, 8], 1, Activation.Tanh)).OneHiddenLayerPass);
        Assert.False(Plan(new NetworkShape(8, [32], 2, Activation.Tanh)).OneHiddenLayerPass);
        Assert.False(Plan(new NetworkShape(8, [32], 1, Activation.Elu)).OneHiddenLayerPass); // no vector forms
        Assert.False(Plan(new NetworkShape(8, [32], 1, Activation.Tanh), KernelVariant.Naive).OneHiddenLayerPass);
        Assert.False(Plan(new NetworkShape(8, [KernelPlan<double>.OneHiddenLayerMaxUnits + 1], 1, Activation.Tanh)).OneHiddenLayerPass);
        var plan = Plan(new NetworkShape(8, [16], 1, Activation.Elu));
        Assert.Throws<InvalidOperationException>(() => plan.MakeOneHiddenLayerPass());
        Assert.Contains(plan.Describe(), line => line.Contains("layer by layer") && line.Contains("elu"));
    }
}
