using NeuralFit.Networks;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// Nguyen–Widrow's start of a one-input ReLU-family network (<see cref="SplineKnots"/>): one first-layer unit linear
/// over the data, every other kink inside it, and a second layer that adds a knot per unit but its first, all distinct.
/// </summary>
public class SplineKnotsTests
{
    static readonly double[] X = Enumerable.Range(0, 400).Select(i => -1 + 2.0 * i / 399).ToArray();

    /// <summary>Pre-activations of hidden layer <paramref name="layer"/>, unit by unit, at the inputs.</summary>
    static double[][] PreActivations(NetworkShape shape, double[] theta, double[] x, int layer)
    {
        var ws = new Workspace<double>(shape, x.Length);
        x.CopyTo(ws.Input, 0);
        new Mlp<double>(shape, theta).Forward(ws, x.Length);
        return Enumerable.Range(0, shape.Hidden[layer]).Select(k => ws.Z[layer].AsSpan(k * x.Length, x.Length).ToArray()).ToArray();
    }

    /// <summary>Where a unit's pre-activation changes sign between neighbouring inputs (midpoints).</summary>
    static List<double> SignChanges(double[] z, double[] x) =>
        Enumerable.Range(1, x.Length - 1).Where(i => (z[i - 1] > 0) != (z[i] > 0)).Select(i => 0.5 * (x[i - 1] + x[i])).ToList();

    [Theory]
    [InlineData(Activation.Relu)]
    [InlineData(Activation.LeakyRelu)]
    public void TheSecondLayerBendsInsideTheDataAtKnotsOfItsOwn(Activation activation)
    {
        var shape = new NetworkShape(1, [8, 4], 1, activation);
        var theta = Initialization.Draw(shape, new InitSpec(InitKind.NguyenWidrow), new InitSpec(InitKind.Constant, 0), new Rng(7), X);

        var first = PreActivations(shape, theta, X, 0);
        Assert.Single(first, z => z.All(v => v > 0)); // the spline's slope: one unit on over all the data
        var knots = first.Where(z => !z.All(v => v > 0)).Select(z => Assert.Single(SignChanges(z, X))).ToList();
        Assert.Equal(7, knots.Count);

        var second = PreActivations(shape, theta, X, 1);
        Assert.All(second[0], v => Assert.True(v > 0)); // carries the first layer's spline to the output
        foreach (var z in second.Skip(1)) knots.Add(Assert.Single(SignChanges(z, X)));
        Assert.Equal(10, knots.Count);
        Assert.Equal(10, knots.Select(k => Math.Round(k, 6)).Distinct().Count()); // ten different knots: eleven pieces
    }

    [Fact]
    public void KnotsFollowThePlacementTheCallerGives()
    {
        var shape = new NetworkShape(1, [6, 3], 1, Activation.Relu);
        Func<double, double> placement = share => -1 + 2 * share * share; // crowded at the low end
        var theta = Initialization.Draw(shape, new InitSpec(InitKind.NguyenWidrow), new InitSpec(InitKind.Constant, 0), new Rng(1), X, placement);
        var plan = SplineKnots.For(shape)!;
        int total = 5 + 2; // (n₁ − 1) + (n₂ − 1)
        var want = Enumerable.Range(0, total).Select(i => placement((i + 0.5) / total)).ToArray();

        var knots = PreActivations(shape, theta, X, 0).Where(z => !z.All(v => v > 0)).Select(z => SignChanges(z, X).Single())
            .Concat(PreActivations(shape, theta, X, 1).Skip(1).Select(z => SignChanges(z, X).Single())).Order().ToArray();
        Assert.Equal(total, knots.Length);
        for (int i = 0; i < total; i++) Assert.True(Math.Abs(knots[i] - want[i]) <= 2.0 / 399, $"knot {i}: {knots[i]} for {want[i]}");
        Assert.Equal(2, plan.Copies);
    }

    [Fact]
    public void OtherNetworksHaveNoPlan()
    {
        Assert.Null(SplineKnots.For(new NetworkShape(2, [8, 4], 1, Activation.Relu)));   // two inputs
        Assert.Null(SplineKnots.For(new NetworkShape(1, [8, 4], 1, Activation.Tanh)));   // smooth
        Assert.Equal(0, SplineKnots.For(new NetworkShape(1, [8, 4, 4], 1, Activation.Relu))!.Copies); // deeper: later layers linear
    }
}
