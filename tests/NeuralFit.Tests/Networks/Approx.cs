using System.Numerics;

namespace NeuralFit.Tests.Networks;

/// <summary>Element-wise comparison with a relative tolerance, naming the worst element when it fails.</summary>
public static class Approx
{
    internal static void AssertClose<T>(T[] expected, T[] actual, double tolerance, string what)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double e = double.CreateChecked(expected[i]), a = double.CreateChecked(actual[i]);
            double diff = Math.Abs(e - a) / Math.Max(1, Math.Abs(e));
            if (!(diff <= worst)) { worst = diff; at = i; }
        }
        if (!(worst <= tolerance))
            Assert.Fail($"{what}: max relative difference {worst:G3} at [{at}] (expected {expected[at]}, got {actual[at]}); tolerance {tolerance:G3}");
    }
}
