using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Networks;

/// <summary>The fast dense kernels against the naive reference, for every batch length 0..256 (every vector tail).</summary>
public class KernelTests
{
    public static TheoryData<Activation> Activations() => new(Enum.GetValues<Activation>());

    [Theory, MemberData(nameof(Activations))]
    public void FloatKernelsMatchNaive(Activation act) => CompareAllLengths<float>(act, 2e-5);

    [Theory, MemberData(nameof(Activations))]
    public void DoubleKernelsMatchNaive(Activation act) => CompareAllLengths<double>(act, 1e-12);

    static void CompareAllLengths<T>(Activation act, double tolerance) where T : unmanaged, IFloatingPointIeee754<T>
    {
        const int nIn = 3, nOut = 5;
        var rng = new Rng(7);
        for (int n = 0; n <= 256; n++)
        {
            T[] Random(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.Uniform(-1.5, 1.5))).ToArray();
            var x = Random(nIn * n);
            var w = Random(nOut * nIn);
            var b = Random(nOut);
            var dOut = Random(nOut * n);

            var (zFast, aFast, zNaive, aNaive) = (new T[nOut * n], new T[nOut * n], new T[nOut * n], new T[nOut * n]);
            LayerKernels<T>.Forward(act, x, w, b, zFast, aFast, nIn, nOut, n);
            DenseKernels.Create<T>(KernelVariant.Naive).Forward(act, x, w, b, zNaive, aNaive, nIn, nOut, n);
            AssertClose(zNaive, zFast, tolerance, $"z, n = {n}");
            AssertClose(aNaive, aFast, tolerance, $"a, n = {n}");

            var (dzFast, dzNaive) = ((T[])dOut.Clone(), (T[])dOut.Clone());
            var (dwFast, dwNaive) = (Random(nOut * nIn), new T[nOut * nIn]);
            dwFast.CopyTo(dwNaive, 0); // gradients accumulate: start both from the same nonzero values
            var (dbFast, dbNaive) = (new T[nOut], new T[nOut]);
            var (dxFast, dxNaive) = (new T[nIn * n], new T[nIn * n]);
            LayerKernels<T>.Backward(act, dzFast, zFast, aFast, x, w, dwFast, dbFast, dxFast, nIn, nOut, n);
            DenseKernels.Create<T>(KernelVariant.Naive).Backward(act, dzNaive, zNaive, aNaive, x, w, dwNaive, dbNaive, dxNaive, nIn, nOut, n);
            AssertClose(dzNaive, dzFast, tolerance, $"dz, n = {n}");
            AssertClose(dwNaive, dwFast, tolerance * Math.Max(1, n), $"dw, n = {n}");
            AssertClose(dbNaive, dbFast, tolerance * Math.Max(1, n), $"db, n = {n}");
            AssertClose(dxNaive, dxFast, tolerance, $"dx, n = {n}");
        }
    }

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
