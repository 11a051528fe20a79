using NeuralFit.Evaluation;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Evaluation;

/// <summary>
/// The noise bound the data-fit verdict judges against: on a line with noise, the line's residuals show nothing
/// their neighbours can find (the line is at the noise); on a curve the line misses, they do, though the line's
/// own residual variance — what an affine bound would be — is met by the line by construction.
/// </summary>
public class LocalNoiseTests
{
    static SampleSet Rows(int n, Func<double, double, double> f, double noise, int seed)
    {
        var rng = new Random(seed);
        var x = new double[2 * n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[2 * i] = rng.NextDouble();
            x[2 * i + 1] = rng.NextDouble();
            double gauss = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            y[i] = f(x[2 * i], x[2 * i + 1]) + noise * gauss;
        }
        return new SampleSet(x, y, 2);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ALineWithNoiseIsAtTheNoise(int seed)
    {
        var noise = NoiseLevel.Local(Rows(150, (a, b) => 2 * a - b, noise: 0.1, seed))!;
        Assert.True(noise.LineAtNoise, $"ceiling {noise.Ceiling:G4}, line mse {noise.LineMse:G4}");
        Assert.InRange(noise.Ceiling, 0.005, 0.02); // σ² = 0.01, bounded from above in expectation
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ALineMissingACurveIsNotAtTheNoise(int seed)
    {
        var noise = NoiseLevel.Local(Rows(150, (a, b) => Math.Sin(6 * a) + b, noise: 0.1, seed))!;
        Assert.False(noise.LineAtNoise, $"ceiling {noise.Ceiling:G4}, line mse {noise.LineMse:G4}");
        Assert.True(noise.Ceiling < noise.LineMse / 3, $"ceiling {noise.Ceiling:G4}, line mse {noise.LineMse:G4}");
    }
}
