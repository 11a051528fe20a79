using NeuralFit.Networks;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// After the least-squares start, the network is the least-squares combination of its features: the residuals are
/// orthogonal to every feature and to the constant (the normal equations), whether the output reads the last hidden
/// layer or, through a ReLU layer's units that stay linear over the data, the one before (with the ReLU layer's units
/// that bend inside the data).
/// </summary>
public class LeastSquaresStartTests
{
    [Theory]
    [InlineData(Activation.Tanh, new[] { 20 }, 0)]        // features: the hidden layer
    [InlineData(Activation.Relu, new[] { 50, 10 }, 0)]    // features: layer 1, layer 2 folded into the output
    [InlineData(Activation.Tanh, new[] { 16, 8 }, 1)]     // features: layer 2
    public void TheResidualsAreOrthogonalToTheFeatures(Activation activation, int[] layers, int featureLayer)
    {
        const int n = 1000; // at least ten samples per coefficient
        var x = Enumerable.Range(0, n).Select(i => -1 + 2.0 * i / (n - 1)).ToArray();
        var y = x.Select(v => Math.Log(1.01 + v) + 0.3 * v).ToArray();
        var shape = new NetworkShape(1, layers, 1, activation);
        var theta = Initialization.Draw(shape, new InitSpec(InitKind.NguyenWidrow), new InitSpec(InitKind.Constant, 0), new Rng(3), x);

        Assert.True(LeastSquaresStart.Apply(shape, theta, x, y));

        var net = new Mlp<double>(shape, theta);
        var ws = new Workspace<double>(shape, n);
        x.CopyTo(ws.Input, 0);
        net.Forward(ws, n);
        var residual = Enumerable.Range(0, n).Select(i => ws.Output[i] - y[i]).ToArray();
        double scale = Math.Sqrt(residual.Sum(r => r * r));
        Assert.True(Math.Abs(residual.Sum()) <= 1e-7 * scale * Math.Sqrt(n), $"Σr = {residual.Sum()}, ‖r‖ = {scale}");
        var features = Enumerable.Range(0, shape.Slots[featureLayer].FanOut).Select(j => ws.A[featureLayer].AsSpan(j * n, n).ToArray()).ToList();
        if (activation == Activation.Relu)
        {
            // the folded layer: its first unit stays on over the data, the others bend inside it and are features too
            var units = Enumerable.Range(0, layers[1]).Select(k => ws.Z[1].AsSpan(k * n, n).ToArray()).ToList();
            Assert.All(units[0], z => Assert.True(z > 0));
            Assert.All(units.Skip(1), z => Assert.True(z.Min() < 0 && z.Max() > 0));
            features.AddRange(Enumerable.Range(1, layers[1] - 1).Select(k => ws.A[1].AsSpan(k * n, n).ToArray()));
        }
        for (int j = 0; j < features.Count; j++)
        {
            var feature = features[j];
            double dot = feature.Select((f, i) => f * residual[i]).Sum(), norm = Math.Sqrt(feature.Sum(f => f * f));
            Assert.True(Math.Abs(dot) <= 1e-7 * scale * Math.Max(norm, 1e-300), $"feature {j}: Σ r·a = {dot}");
        }
    }

    /// <summary>The features are computed a block of rows at a time, and the start is the same to the last bit as from
    /// one pass over all rows (2,055 rows: blocks of 1024 or of 683 with the last one full, starting early). Blocks of
    /// only 7 rows would not be: the kernels narrow their vectors for so short a batch, and the ReLU network's folded
    /// weights then differ in the 12th digit.</summary>
    [Theory]
    [InlineData(Activation.Tanh, new[] { 20 }, 1)]
    [InlineData(Activation.Relu, new[] { 50, 10 }, 1)]  // folded: the blocks are run three times
    [InlineData(Activation.Tanh, new[] { 12 }, 3)]      // several outputs share the normal equations
    public void TheStartDoesNotDependOnTheBlockSize(Activation activation, int[] layers, int outputs)
    {
        const int n = 2055, inputs = 2;
        var rng = new Rng(5);
        var x = Enumerable.Range(0, n * inputs).Select(_ => -1 + 2 * rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, n * outputs).Select(i => Math.Sin(3 * x[i / outputs * inputs]) + (i % outputs) * x[i / outputs * inputs + 1]).ToArray();
        var shape = new NetworkShape(inputs, layers, outputs, activation);
        var drawn = Initialization.Draw(shape, new InitSpec(InitKind.NguyenWidrow), new InitSpec(InitKind.Constant, 0), new Rng(3), x);
        var starts = new[] { n, LeastSquaresStart.BlockRows, 683 }.Select(block =>
        {
            var theta = (double[])drawn.Clone();
            Assert.True(LeastSquaresStart.Apply(shape, theta, x, y, block));
            return theta;
        }).ToList();
        Assert.NotEqual(drawn, starts[0]);
        Assert.Equal(starts[0], starts[1]);
        Assert.Equal(starts[0], starts[2]);
    }

    [Fact]
    public void ANetworkWithoutAHiddenLayerIsLeftAlone()
    {
        var shape = new NetworkShape(1, [], 1, Activation.Tanh);
        var theta = new double[] { 0.5, 0.1 };
        Assert.False(LeastSquaresStart.Apply(shape, theta, [0.0, 1.0], [1.0, 2.0]));
        Assert.Equal([0.5, 0.1], theta);
    }

    [Fact]
    public void TooFewSamplesForTheFeaturesLeaveTheNetworkAlone()
    {
        var shape = new NetworkShape(1, [40], 1, Activation.Tanh);
        var x = Enumerable.Range(0, 60).Select(i => i / 59.0).ToArray();
        var theta = Initialization.Draw(shape, new InitSpec(InitKind.NguyenWidrow), new InitSpec(InitKind.Constant, 0), new Rng(1), x);
        var drawn = (double[])theta.Clone();
        Assert.False(LeastSquaresStart.Apply(shape, theta, x, x.Select(Math.Sin).ToArray())); // 60 samples for 41 coefficients
        Assert.Equal(drawn, theta);
    }
}
