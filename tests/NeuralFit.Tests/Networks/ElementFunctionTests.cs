using System.Numerics;
using System.Runtime.Intrinsics;
using NeuralFit.Networks.Kernels;
using NeuralFit.Networks.Kernels.Blocked;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// NeuralFit's own tanh and sigmoid (<see cref="ElementFunctions{T, TVec, TOps}"/>): their error in ulps against the
/// platform's math over many values (tiny, moderate, saturated, both signs), the special values, and the same bits in
/// every lane at every width and in the scalar path, so a result never depends on where an element sits.
/// </summary>
public class ElementFunctionTests(ITestOutputHelper output)
{
    /// <summary>Largest distance, in representable numbers, from the reference: measured 2 for tanh and sigmoid in both
    /// precisions (tanh in float64 against a 28-digit decimal reference; the others against float64 formulas rounded
    /// to float32, or 1/(1 + Math.Exp(−z)), itself off by up to about 1.9 ulps). Checked offline against mpmath's tanh
    /// and sigmoid at 200 bits: float64 tanh is within 1.94 ulps of the exact value, sigmoid 1.68.</summary>
    const long TanhUlps = 2, SigmoidUlps = 2;

    [Fact]
    public void DoubleTanhIsWithinItsBound()
    {
        long worst = Worst(Values().Where((_, i) => i % 3 == 0), z => ElementFunctions<double, double, ScalarOps<double>>.Tanh(z), DecimalTanh, out double at);
        output.WriteLine($"float64 tanh: {worst} ulps at {at:R}");
        Assert.True(worst <= TanhUlps, $"tanh is {worst} ulps off at {at:R}");
    }

    [Fact]
    public void FloatTanhIsWithinItsBound()
    {
        long worst = Worst(Values().Select(v => (double)(float)v), z => ElementFunctions<float, float, ScalarOps<float>>.Tanh((float)z),
            z => (float)Math.Tanh(z), out double at);
        output.WriteLine($"float32 tanh: {worst} ulps at {at:R}");
        Assert.True(worst <= TanhUlps, $"tanh is {worst} ulps off at {at:R}");
    }

    [Fact]
    public void DoubleSigmoidIsWithinItsBound()
    {
        long worst = Worst(Values().Select(v => 40 * v), z => ElementFunctions<double, double, ScalarOps<double>>.Sigmoid(z),
            z => 1 / (1 + Math.Exp(-z)), out double at, skipBelowNormal: true);
        output.WriteLine($"float64 sigmoid: {worst} ulps at {at:R}");
        Assert.True(worst <= SigmoidUlps, $"sigmoid is {worst} ulps off at {at:R}");
    }

    [Fact]
    public void FloatSigmoidIsWithinItsBound()
    {
        long worst = Worst(Values().Select(v => (double)(float)(5 * v)), z => ElementFunctions<float, float, ScalarOps<float>>.Sigmoid((float)z),
            z => (float)(1 / (1 + Math.Exp(-z))), out double at, skipBelowNormal: true);
        output.WriteLine($"float32 sigmoid: {worst} ulps at {at:R}");
        Assert.True(worst <= SigmoidUlps, $"sigmoid is {worst} ulps off at {at:R}");
    }

    [Fact]
    public void SpecialValuesAreExact()
    {
        foreach (var (z, expected) in new[] { (double.NaN, double.NaN), (double.PositiveInfinity, 1), (double.NegativeInfinity, -1), (0.0, 0.0),
            (-0.0, -0.0), (19.1, 1), (-19.1, -1), (1e300, 1), (-1e300, -1), (1e-300, 1e-300), (-5e-324, -5e-324), (1e-20, 1e-20) })
            AssertBits(expected, ElementFunctions<double, double, ScalarOps<double>>.Tanh(z), $"tanh({z:R})");
        foreach (var (z, expected) in new[] { (float.NaN, float.NaN), (float.PositiveInfinity, 1f), (float.NegativeInfinity, -1f), (-0f, -0f),
            (9.1f, 1f), (-9.1f, -1f), (1e30f, 1f), (1e-30f, 1e-30f), (-1e-45f, -1e-45f) })
            AssertBits(expected, ElementFunctions<float, float, ScalarOps<float>>.Tanh(z), $"tanh({z:R})");
        foreach (var (z, expected) in new[] { (double.NaN, double.NaN), (double.PositiveInfinity, 1), (double.NegativeInfinity, 0), (0.0, 0.5),
            (-0.0, 0.5), (40, 1), (709, 1), (-709, 0), (-1e300, 0) })
            AssertBits(expected, ElementFunctions<double, double, ScalarOps<double>>.Sigmoid(z), $"sigmoid({z:R})");
        foreach (var (z, expected) in new[] { (float.NaN, float.NaN), (float.PositiveInfinity, 1f), (float.NegativeInfinity, 0f), (0f, 0.5f),
            (20f, 1f), (-88f, 0f) })
            AssertBits(expected, ElementFunctions<float, float, ScalarOps<float>>.Sigmoid(z), $"sigmoid({z:R})");
    }

    [Fact]
    public void EveryWidthGivesTheScalarBits()
    {
        var doubles = Values().Concat([double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, 800, -800]).ToArray();
        SameBitsAtEveryWidth(doubles);
        SameBitsAtEveryWidth(doubles.Select(v => (float)v).ToArray());
    }

    /// <summary>The pass a caller with z alone uses: every length up to three 512-bit vectors and a few more, so every
    /// tail; at every offset of the row, each element gives the scalar function's bits.</summary>
    [Fact]
    public void RowPassMatchesTheScalarFunctionOverEveryTail()
    {
        var random = new Random(3);
        for (int length = 0; length <= 3 * 16 + 5; length++)
            for (int offset = 0; offset < 3; offset++)
            {
                var z = Enumerable.Range(0, length + offset).Select(_ => 24 * random.NextDouble() - 12).ToArray();
                var a = new double[z.Length];
                ActivationPasses<double, Vector256<double>, Vector256Ops<double>>.Forward<Tanh<double>>(z.AsSpan(offset), a.AsSpan(offset));
                for (int i = offset; i < z.Length; i++) AssertBits(Tanh<double>.Forward(z[i]), a[i], $"tanh, length {length}, element {i}");
                var zf = z.Select(v => (float)v).ToArray();
                var af = new float[z.Length];
                ActivationPasses<float, Vector<float>, VectorOps<float>>.Forward<Sigmoid<float>>(zf.AsSpan(offset), af.AsSpan(offset));
                for (int i = offset; i < z.Length; i++) AssertBits(Sigmoid<float>.Forward(zf[i]), af[i], $"sigmoid, length {length}, element {i}");
            }
    }

    /// <summary>tanh to about 26 digits: x − x³/3 + 2x⁵/15 below 1e-4 (the next term is under 1e-26 of it), else
    /// (e^2|x| − 1)/(e^2|x| + 1) in decimal arithmetic, with e^y = (e^(y/8))^8 by its series; ±1 past 20.</summary>
    static double DecimalTanh(double x)
    {
        double magnitude = Math.Abs(x);
        if (magnitude < 1e-4) return x - x * x * x / 3 + 2 * Math.Pow(x, 5) / 15;
        if (magnitude >= 20) return Math.Sign(x);
        decimal y = ToDecimal(2 * magnitude) / 8, term = 1, sum = 1;
        for (int n = 1; n < 40 && term != 0; n++) sum += term *= y / n;
        for (int i = 0; i < 3; i++) sum *= sum;
        return Math.CopySign((double)((sum - 1) / (sum + 1)), x);
    }

    /// <summary>v to 28 digits (the decimal conversion keeps only 15): its 53-bit integer mantissa, halved or doubled.</summary>
    static decimal ToDecimal(double v)
    {
        long bits = BitConverter.DoubleToInt64Bits(v);
        int exponent = (int)((bits >> 52) & 0x7FF) - 1075;
        decimal result = (bits & 0xFFFFFFFFFFFFFL) | (1L << 52);
        for (; exponent < 0; exponent++) result /= 2;
        for (; exponent > 0; exponent--) result *= 2;
        return result;
    }

    static void SameBitsAtEveryWidth<T>(T[] values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scalarTanh = values.Select(ElementFunctions<T, T, ScalarOps<T>>.Tanh).ToArray();
        var scalarSigmoid = values.Select(ElementFunctions<T, T, ScalarOps<T>>.Sigmoid).ToArray();
        Check<Vector128<T>, Vector128Ops<T>>();
        if (Vector256.IsHardwareAccelerated) Check<Vector256<T>, Vector256Ops<T>>();
        if (Vector512.IsHardwareAccelerated) Check<Vector512<T>, Vector512Ops<T>>();
        Check<Vector<T>, VectorOps<T>>();

        void Check<TVec, TOps>() where TVec : struct where TOps : ISimdOps<TVec, T>
        {
            var lanes = new T[TOps.Count];
            for (int start = 0; start + TOps.Count <= values.Length; start += TOps.Count)
            {
                TOps.Store(ElementFunctions<T, TVec, TOps>.Tanh(TOps.Load(ref values[start])), ref lanes[0]);
                for (int i = 0; i < lanes.Length; i++) AssertBits(scalarTanh[start + i], lanes[i], $"{typeof(TOps).Name} tanh({values[start + i]})");
                TOps.Store(ElementFunctions<T, TVec, TOps>.Sigmoid(TOps.Load(ref values[start])), ref lanes[0]);
                for (int i = 0; i < lanes.Length; i++) AssertBits(scalarSigmoid[start + i], lanes[i], $"{typeof(TOps).Name} sigmoid({values[start + i]})");
            }
        }
    }

    /// <summary>Both signs of: magnitudes spread evenly in their logarithm from 1e-310 to 40, and uniform ones on [0, 1]
    /// and [0, 25] (where the reduction's k changes and tanh saturates).</summary>
    static IEnumerable<double> Values()
    {
        var random = new Random(11);
        for (int i = 0; i < 60_000; i++)
        {
            double magnitude = (i % 3) switch
            {
                0 => Math.Pow(10, -310 + 311.6 * random.NextDouble()),
                1 => random.NextDouble(),
                _ => 25 * random.NextDouble(),
            };
            yield return i % 2 == 0 ? magnitude : -magnitude;
        }
    }

    /// <summary>The largest distance in representable numbers between f and the reference over the values (both
    /// rounded to T first); with <paramref name="belowNormal"/>, values whose reference lies below the smallest normal
    /// number are skipped (sigmoid flushes them to 0 by design).</summary>
    static long Worst<T>(IEnumerable<double> values, Func<double, T> f, Func<double, T> reference, out double at, bool skipBelowNormal = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long worst = 0;
        at = double.NaN;
        foreach (double z in values)
        {
            T expected = reference(z), actual = f(z);
            if (skipBelowNormal && T.Abs(expected) < T.CreateTruncating(typeof(T) == typeof(double) ? 2.2250738585072014E-308 : 1.17549435E-38)) continue;
            long distance = Math.Abs(Ordered(actual) - Ordered(expected));
            if (distance > worst) (worst, at) = (distance, z);
        }
        return worst;
    }

    /// <summary>The float's position among all floats of its type, so that neighbours differ by 1.</summary>
    static long Ordered<T>(T v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            long bits = BitConverter.DoubleToInt64Bits(double.CreateTruncating(v));
            return bits < 0 ? long.MinValue - bits : bits;
        }
        int single = BitConverter.SingleToInt32Bits(float.CreateTruncating(v));
        return single < 0 ? int.MinValue - (long)single : single;
    }

    static void AssertBits<T>(T expected, T actual, string what) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!(expected.Equals(actual) && T.IsNegative(expected) == T.IsNegative(actual)))
            Assert.Fail($"{what} is {actual:R}, not {expected:R}");
    }
}
