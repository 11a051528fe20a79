using NeuralFit.Networks;
using NeuralFit.Sampling;

namespace NeuralFit.Fitting;

/// <summary>
/// A wider network that computes the same function (the function-preserving widening of Chen, Goodfellow and Shlens,
/// "Net2Net", ICLR 2016, with zero outgoing weights rather than split ones): every existing unit keeps its weights, each
/// new unit gets random incoming weights at the scale of its layer's existing units and sends zero to the layer
/// above. The output is unchanged, so a growing fit goes on from its best so far, and a solver puts the new units to
/// work at once (the loss's gradient with respect to their outgoing weights is not zero).
/// </summary>
internal static class Widening
{
    // θ of `from` -> θ of `to`: same inputs, outputs and depth, every layer at least as wide
    public static double[] Widen(NetworkShape from, NetworkShape to, ReadOnlySpan<double> theta, Rng rng)
    {
        if (from.Inputs != to.Inputs || from.Outputs != to.Outputs || from.LayerCount != to.LayerCount || from.Hidden.Where((w, l) => to.Hidden[l] < w).Any())
            throw new ArgumentException($"cannot widen {from} to {to}: same inputs, outputs and depth, and no narrower layer");
        var wide = new double[to.ParameterCount];
        for (int l = 0; l < from.LayerCount; l++)
        {
            DenseSlot a = from.Slots[l], b = to.Slots[l];
            var (weightScale, biasScale, rowNorm) = Scales(theta, a);
            for (int o = 0; o < b.FanOut; o++)
            {
                bool old = o < a.FanOut;
                var row = wide.AsSpan(b.WeightOffset + o * b.FanIn, b.FanIn);
                if (old)
                {
                    theta.Slice(a.WeightOffset + o * a.FanIn, a.FanIn).CopyTo(row); // columns of new units below stay 0
                    wide[b.BiasOffset + o] = theta[a.BiasOffset + o];
                }
                else if (l == 0)
                {
                    // a first-layer unit as Nguyen–Widrow draws one: a random direction at the existing units' norm, its
                    // bend anywhere in the input box
                    double norm = 0;
                    for (int i = 0; i < b.FanIn; i++) norm += (row[i] = rng.NextGaussian()) * row[i];
                    double scale = rowNorm / Math.Sqrt(Math.Max(norm, 1e-300));
                    for (int i = 0; i < b.FanIn; i++) row[i] *= scale;
                    wide[b.BiasOffset + o] = rowNorm * (2 * rng.NextDouble() - 1);
                }
                else
                {
                    for (int i = 0; i < b.FanIn; i++) row[i] = weightScale * rng.NextGaussian();
                    wide[b.BiasOffset + o] = biasScale * rng.NextGaussian();
                }
            }
        }
        return wide;
    }

    /// <summary>RMS of a layer's weights and biases, and the RMS norm of its units' weight rows.</summary>
    static (double Weight, double Bias, double RowNorm) Scales(ReadOnlySpan<double> theta, DenseSlot s)
    {
        double w = 0, b = 0;
        for (int i = 0; i < s.WeightCount; i++) w += theta[s.WeightOffset + i] * theta[s.WeightOffset + i];
        for (int i = 0; i < s.FanOut; i++) b += theta[s.BiasOffset + i] * theta[s.BiasOffset + i];
        double weight = Math.Sqrt(w / Math.Max(1, s.WeightCount));
        return (weight, Math.Sqrt(b / Math.Max(1, s.FanOut)), Math.Sqrt(w / Math.Max(1, s.FanOut)));
    }
}
