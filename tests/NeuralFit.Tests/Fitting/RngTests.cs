using NeuralFit.Configuration;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Fitting;

/// <summary>The bulk draws are the same numbers, in the same order, as one call per draw.</summary>
public class RngTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(501)]
    public void FillDoublesDrawsWhatNextDoubleWould(int n)
    {
        var (bulk, single) = (new Rng(42), new Rng(42));
        var values = new double[n];
        bulk.FillDoubles(values);
        Assert.Equal(Enumerable.Range(0, n).Select(_ => single.NextDouble()).ToArray(), values);
        Assert.Equal(single.GetState(), bulk.GetState());
    }

    [Fact]
    public void FillUniformDrawsEachInputOverItsOwnRange()
    {
        Interval[] domain = [new(0.01, 1), new(-3, 5)];
        var (bulk, single) = (new Rng(7), new Rng(7));
        var x = new double[2 * 250];
        PointSets.FillUniform(domain, x, bulk);
        Assert.Equal(Enumerable.Range(0, x.Length).Select(i => single.Uniform(domain[i % 2].Lo, domain[i % 2].Hi)).ToArray(), x);
    }
}
