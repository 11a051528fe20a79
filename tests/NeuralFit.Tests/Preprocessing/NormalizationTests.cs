using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Preprocessing;

public class NormalizationTests
{
    static (double[] X, double[] Y) Data()
    {
        var rng = new Rng(8);
        var x = Enumerable.Range(0, 200).Select(i => i % 2 == 0 ? rng.Uniform(100, 900) : rng.Uniform(-0.003, 0.001)).ToArray(); // two columns
        var y = Enumerable.Range(0, 100).Select(_ => rng.Uniform(-40, 2000)).ToArray();
        return (x, y);
    }

    [Theory]
    [InlineData(NormalizerKind.Standardize)]
    [InlineData(NormalizerKind.MinMax)]
    [InlineData(NormalizerKind.Auto)]
    public void EveryMapRoundTrips(NormalizerKind kind)
    {
        var (x, y) = Data();
        var n = Normalization.Fit(NormalizeMode.Both, kind, x, 2, y);
        foreach (var v in x.Take(20).Concat(y.Take(20)).Append(0).Append(-1e6))
            foreach (var map in n.Inputs.Append(n.Target))
                Assert.Equal(v, map.Inverse(map.Forward(v)), Math.Max(1e-12, 1e-13 * Math.Abs(v)));
    }

    [Fact]
    public void StandardizeGivesZeroMeanUnitDeviationAndMinMaxTheRangeMinusOneToOne()
    {
        var (x, y) = Data();
        var standard = Normalization.Fit(NormalizeMode.Both, NormalizerKind.Standardize, x, 2, y);
        var mapped = y.Select(standard.Target.Forward).ToArray();
        var (mean, std, _) = AffineMap.Moments(mapped);
        Assert.Equal(0, mean, 12);
        Assert.Equal(1, std, 12);

        var minMax = Normalization.Fit(NormalizeMode.Both, NormalizerKind.MinMax, x, 2, y);
        for (int j = 0; j < 2; j++)
        {
            var column = Enumerable.Range(0, 100).Select(i => minMax.Inputs[j].Forward(x[2 * i + j])).ToArray();
            Assert.Equal(-1, column.Min(), 12);
            Assert.Equal(1, column.Max(), 12);
        }
        var targets = y.Select(minMax.Target.Forward).ToArray();
        Assert.Equal(-1, targets.Min(), 12);
        Assert.Equal(1, targets.Max(), 12);
    }

    [Fact]
    public void AutoMapsInputsByRangeAndStandardizesTargets()
    {
        var (x, y) = Data();
        var n = Normalization.Fit(NormalizeMode.Both, NormalizerKind.Auto, x, 2, y);
        var column = Enumerable.Range(0, 100).Select(i => n.Inputs[0].Forward(x[2 * i])).ToArray();
        Assert.Equal(1, column.Max(), 12);
        Assert.Equal(0, AffineMap.Moments(y.Select(n.Target.Forward).ToArray()).Mean, 12);
    }

    [Fact]
    public void ModeDecidesWhichColumnsAreMapped()
    {
        var (x, y) = Data();
        Assert.True(Normalization.Fit(NormalizeMode.Inputs, NormalizerKind.MinMax, x, 2, y).Target.IsIdentity);
        Assert.All(Normalization.Fit(NormalizeMode.Targets, NormalizerKind.MinMax, x, 2, y).Inputs, m => Assert.True(m.IsIdentity));
        // auto leaves data near unit scale as it is: the ln(x) question's U[0,1) inputs and ln targets are not mapped
        var u = Enumerable.Range(0, 1000).Select(i => (i + 0.5) / 1000).ToArray();
        var ln = u.Select(v => Math.Log(v)).ToArray();
        var auto = Normalization.Fit(NormalizeMode.Auto, NormalizerKind.Auto, u, 1, ln);
        Assert.True(auto.Inputs[0].IsIdentity && auto.Target.IsIdentity);
    }

    [Fact]
    public void AModelPredictsInTheUsersUnits()
    {
        // y = 3 + 2x with x in [100, 300] as a linear network in normalised units: w = 2·sx/sy, b = (3 + 2mx − my)/sy
        var x = new[] { 100.0, 200, 300 };
        var y = x.Select(v => 3 + 2 * v).ToArray();
        var norm = Normalization.Fit(NormalizeMode.Both, NormalizerKind.MinMax, x, 1, y);
        var (ix, ty) = (norm.Inputs[0], norm.Target);
        var net = new Mlp<double>(new NetworkShape(1, [], 1, Activation.Linear), [2 * ix.Scale / ty.Scale, (3 + 2 * ix.Shift - ty.Shift) / ty.Scale]);
        var model = new FittedModel<double>(net, norm);
        Assert.Equal(3 + 2 * 250.0, model.PredictPoint(250), 9);
        Assert.Equal(3 + 2 * 1000.0, model.PredictPoint(1000), 9); // and outside the range
    }
}
