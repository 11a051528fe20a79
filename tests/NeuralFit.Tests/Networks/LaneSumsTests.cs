using System.Runtime.Intrinsics;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// Four sums by one reduction tree (<see cref="LaneSums"/>, behind <see cref="ISimdOps{TVec, T}.Sum4"/>) against
/// four single sums, bit for bit: a kernel's results must not depend on which of the two summed an accumulator.
/// </summary>
public class LaneSumsTests
{
    [Fact]
    public void FourSumsEqualSingleSumsBitForBit()
    {
        var rng = new Random(16);
        for (int trial = 0; trial < 200; trial++)
        {
            var f = new Vector512<float>[4];
            var d = new Vector512<double>[4];
            for (int k = 0; k < 4; k++)
            {
                // wide exponents, so any change of order shows in the rounding
                f[k] = Vector512.Create(Enumerable.Range(0, 16).Select(_ => (float)((rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-20, 20)))).ToArray());
                d[k] = Vector512.Create(Enumerable.Range(0, 8).Select(_ => (rng.NextDouble() - 0.5) * Math.Pow(2, rng.Next(-40, 40))).ToArray());
            }
            var fs = new float[4];
            var ds = new double[4];
            Vector512Ops<float>.Sum4(f[0], f[1], f[2], f[3], ref fs[0]);
            Vector512Ops<double>.Sum4(d[0], d[1], d[2], d[3], ref ds[0]);
            for (int k = 0; k < 4; k++)
            {
                Assert.Equal(BitConverter.SingleToInt32Bits(Vector512Ops<float>.Sum(f[k])), BitConverter.SingleToInt32Bits(fs[k]));
                Assert.Equal(BitConverter.DoubleToInt64Bits(Vector512Ops<double>.Sum(d[k])), BitConverter.DoubleToInt64Bits(ds[k]));
                var lanes = Enumerable.Range(0, 16).Select(l => (double)f[k].GetElement(l)).ToArray();
                Assert.Equal(lanes.Sum(), fs[k], lanes.Sum(Math.Abs) * 1e-6); // and it is the sum
            }
        }
    }
}
