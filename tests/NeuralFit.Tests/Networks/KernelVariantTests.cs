using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// Every kernel variant this machine runs against the naive reference: all activations, float and double, every
/// batch length 0..256 (every vector tail and every 3-vector tile remainder), layer shapes whose row counts leave
/// every remainder of the 4-row tiles, and a shape large enough to take the packed-panel path. Each buffer sits
/// between NaN guards, so a read outside it poisons the result and a write outside it changes a guard.
/// </summary>
public class KernelVariantTests
{
    public static TheoryData<KernelVariant, Activation> VariantsAndActivations()
    {
        var data = new TheoryData<KernelVariant, Activation>();
        foreach (var v in DenseKernels.Supported.Where(v => v != KernelVariant.Naive))
            foreach (var a in Enum.GetValues<Activation>()) data.Add(v, a);
        return data;
    }

    public static TheoryData<KernelVariant> Variants() => new(DenseKernels.Supported.Where(v => v != KernelVariant.Naive));

    static readonly (int NIn, int NOut)[] Shapes = [(3, 5), (1, 7), (6, 1), (9, 4), (2, 10)];

    /// <summary>Every shape for the activations with their own vector code (fused epilogues, vector derivatives);
    /// the others differ only in a scalar element-wise pass, and the old row kernels only in their rows, so one
    /// shape covers them and keeps the suite quick.</summary>
    static IEnumerable<(int NIn, int NOut)> ShapesFor(KernelVariant variant, Activation act) =>
        variant != KernelVariant.Rows && act is Activation.Relu or Activation.LeakyRelu or Activation.Linear or Activation.Tanh or Activation.Sigmoid
            ? Shapes : Shapes.Take(1);

    [Theory, MemberData(nameof(VariantsAndActivations))]
    public void FloatMatchesNaive(KernelVariant variant, Activation act)
    {
        foreach (var (nIn, nOut) in ShapesFor(variant, act)) CompareAllLengths<float>(variant, act, nIn, nOut, 2e-5);
    }

    [Theory, MemberData(nameof(VariantsAndActivations))]
    public void DoubleMatchesNaive(KernelVariant variant, Activation act)
    {
        foreach (var (nIn, nOut) in ShapesFor(variant, act)) CompareAllLengths<double>(variant, act, nIn, nOut, 1e-12);
    }

    [Theory, MemberData(nameof(Variants))]
    public void PackedPanelsMatchNaive(KernelVariant variant)
    {
        CompareAllLengths<float>(variant, Activation.Relu, 35, 18, 2e-5);
        CompareAllLengths<double>(variant, Activation.Relu, 18, 35, 1e-12);
    }

    [Fact]
    public void EnvironmentOverrideIsParsed()
    {
        Assert.Equal(KernelVariant.Scalar, DenseKernels.Choose("scalar").Variant);
        Assert.Equal(KernelVariant.Scalar, DenseKernels.Choose(" SCALAR ").Variant);
        Assert.Equal(DenseKernels.Best, DenseKernels.Choose(null).Variant);
        Assert.Equal(DenseKernels.Best, DenseKernels.Choose("auto").Variant);
        var (v, note) = DenseKernels.Choose("avx9000");
        Assert.Equal(DenseKernels.Best, v);
        Assert.Contains("not a kernel", note);
    }

    const int Guard = 9;

    static void CompareAllLengths<T>(KernelVariant variant, Activation act, int nIn, int nOut, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var fast = DenseKernels.Create<T>(variant);
        var naive = DenseKernels.Create<T>(KernelVariant.Naive);
        var rng = new Rng((ulong)(7 + nIn * 31 + nOut));
        for (int n = 0; n <= 256; n++)
        {
            string at = $"{fast.Name}, {act}, {nIn}-{nOut}, n = {n}";
            T[] Random(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.Uniform(-1.5, 1.5))).ToArray();
            var x = Random(nIn * n);
            var w = Random(nOut * nIn);
            var b = Random(nOut);
            var dOut = Random(nOut * n);
            var dw0 = Random(nOut * nIn);

            var (zN, aN) = (new T[nOut * n], new T[nOut * n]);
            naive.Forward(act, x, w, b, zN, aN, nIn, nOut, n);
            var (zF, aF) = (new Guarded<T>(nOut * n), new Guarded<T>(nOut * n));
            fast.Forward(act, new Guarded<T>(x).Span, new Guarded<T>(w).Span, new Guarded<T>(b).Span, zF.Span, aF.Span, nIn, nOut, n);
            zF.AssertGuardsIntact($"{at}: z");
            aF.AssertGuardsIntact($"{at}: a");
            KernelTests.AssertClose(zN, zF.Values, tolerance, $"{at}: z");
            KernelTests.AssertClose(aN, aF.Values, tolerance, $"{at}: a");

            var (dzN, dwN, dbN, dxN) = ((T[])dOut.Clone(), (T[])dw0.Clone(), new T[nOut], new T[nIn * n]);
            naive.Backward(act, dzN, zN, aN, x, w, dwN, dbN, dxN, nIn, nOut, n);
            var (dzF, dwF, dbF, dxF) = (new Guarded<T>(dOut), new Guarded<T>(dw0), new Guarded<T>(nOut), new Guarded<T>(nIn * n));
            fast.Backward(act, dzF.Span, zF.Values, aF.Values, new Guarded<T>(x).Span, new Guarded<T>(w).Span, dwF.Span, dbF.Span, dxF.Span, nIn, nOut, n);
            foreach (var (g, name) in new[] { (dzF, "dz"), (dwF, "dw"), (dbF, "db"), (dxF, "dx") }) g.AssertGuardsIntact($"{at}: {name}");
            KernelTests.AssertClose(dzN, dzF.Values, tolerance, $"{at}: dz");
            KernelTests.AssertClose(dwN, dwF.Values, tolerance * Math.Max(1, n), $"{at}: dw");
            KernelTests.AssertClose(dbN, dbF.Values, tolerance * Math.Max(1, n), $"{at}: db");
            KernelTests.AssertClose(dxN, dxF.Values, tolerance * Math.Max(1, nOut), $"{at}: dx");

            // The input layer skips dx: an empty dx must be accepted and nothing else may change.
            var dwSkip = new Guarded<T>(dw0);
            fast.Backward(act, new Guarded<T>(dOut).Span, zF.Values, aF.Values, x, w, dwSkip.Span, new T[nOut], Span<T>.Empty, nIn, nOut, n);
            KernelTests.AssertClose(dwN, dwSkip.Values, tolerance * Math.Max(1, n), $"{at}: dw without dx");
        }
    }

    /// <summary>A buffer with NaN guards on both sides.</summary>
    sealed class Guarded<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        readonly T[] _all;
        readonly int _length;

        public Guarded(int length) : this(new T[length]) { }

        public Guarded(T[] values)
        {
            _length = values.Length;
            _all = new T[values.Length + 2 * Guard];
            _all.AsSpan().Fill(T.NaN);
            values.CopyTo(_all, Guard);
        }

        public Span<T> Span => _all.AsSpan(Guard, _length);
        public T[] Values => _all.AsSpan(Guard, _length).ToArray();

        public void AssertGuardsIntact(string what)
        {
            for (int i = 0; i < Guard; i++)
                if (!T.IsNaN(_all[i]) || !T.IsNaN(_all[^(i + 1)]))
                    Assert.Fail($"{what}: written outside the buffer");
        }
    }
}
