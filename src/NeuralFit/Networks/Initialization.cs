using NeuralFit.Sampling;

namespace NeuralFit.Networks;

public static class Initialization
{
    /// <summary>
    /// Draws every layer's weights then biases, layer by layer, in float64, so float32 and float64 runs of one
    /// seed start from the same network.
    /// </summary>
    public static double[] Draw(NetworkShape shape, InitSpec weights, InitSpec biases, Rng rng)
    {
        var p = new double[shape.ParameterCount];
        foreach (var s in shape.Slots)
        {
            weights.Fill(p.AsSpan(s.WeightOffset, s.WeightCount), s.FanIn, s.FanOut, rng);
            biases.Fill(p.AsSpan(s.BiasOffset, s.FanOut), s.FanIn, s.FanOut, rng);
        }
        return p;
    }
}
