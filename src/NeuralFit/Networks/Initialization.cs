using NeuralFit.Sampling;

namespace NeuralFit.Networks;

internal static class Initialization
{
    /// <summary>
    /// Draws every layer's weights then biases, layer by layer, in float64, so float32 and float64 runs of one
    /// seed start from the same network.
    /// </summary>
    /// <param name="inputs">Training inputs in the network's units, row-major: Nguyen–Widrow places units by them.</param>
    /// <param name="knotAt">Where Nguyen–Widrow puts a one-input ReLU-family network's knots (see <see cref="NguyenWidrow.Fill"/>).</param>
    public static double[] Draw(NetworkShape shape, InitSpec weights, InitSpec biases, Rng rng, ReadOnlySpan<double> inputs = default,
        Func<double, double>? knotAt = null)
    {
        var p = new double[shape.ParameterCount];
        if (weights.Kind == InitKind.NguyenWidrow)
        {
            NguyenWidrow.Fill(shape, p, biases, rng, inputs, knotAt);
            return p;
        }
        foreach (var s in shape.Slots)
        {
            weights.Fill(p.AsSpan(s.WeightOffset, s.WeightCount), s.FanIn, s.FanOut, rng);
            biases.Fill(p.AsSpan(s.BiasOffset, s.FanOut), s.FanIn, s.FanOut, rng);
        }
        return p;
    }
}
