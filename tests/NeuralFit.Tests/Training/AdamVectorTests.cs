using NeuralFit.Training.Optimizers;

namespace NeuralFit.Tests.Training;

/// <summary>The vectorised Adam update is bit-identical to the scalar formula, for every length 0..70 (all tails).</summary>
public class AdamVectorTests
{
    [Fact]
    public void VectorisedAdamEqualsScalarAdamBitForBit()
    {
        foreach (bool decoupled in new[] { false, true })
            for (int length = 0; length <= 70; length++)
            {
                Check<float>(length, decoupled);
                Check<double>(length, decoupled);
            }
    }

    static void Check<T>(int length, bool decoupled) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var rng = new Random(length);
        var p = Enumerable.Range(0, length).Select(_ => T.CreateChecked(rng.NextDouble() - 0.5)).ToArray();
        var expected = (T[])p.Clone();
        var (m, v) = (new T[length], new T[length]);
        var adam = new Adam<T>(length, weightDecay: 0.01, decoupledWeightDecay: decoupled);
        for (int t = 1; t <= 3; t++)
        {
            var g = Enumerable.Range(0, length).Select(_ => T.CreateChecked(rng.NextDouble() - 0.5)).ToArray();
            adam.Step(p, g, 1e-2);
            // torch.optim.Adam / AdamW written out, one parameter at a time
            double c1 = 1 - Math.Pow(0.9, t), c2 = Math.Sqrt(1 - Math.Pow(0.999, t));
            T stepSize = T.CreateChecked(1e-2 / c1), inv = T.CreateChecked(1 / c2);
            T l2 = T.CreateChecked(decoupled ? 0 : 0.01), shrink = T.CreateChecked(decoupled ? 1 - 1e-2 * 0.01 : 1);
            for (int i = 0; i < length; i++)
            {
                T pi = expected[i] * shrink, gi = g[i] + l2 * expected[i];
                m[i] = T.CreateChecked(0.9) * m[i] + T.CreateChecked(1 - 0.9) * gi;
                v[i] = T.CreateChecked(0.999) * v[i] + T.CreateChecked(1 - 0.999) * gi * gi;
                expected[i] = pi - stepSize * m[i] / (T.Sqrt(v[i]) * inv + T.CreateChecked(1e-8));
            }
            Assert.Equal(expected, p);
        }
    }
}
