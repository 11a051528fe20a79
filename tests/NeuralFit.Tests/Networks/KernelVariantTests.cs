using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Networks;

/// <summary>
/// Every kernel path this machine runs against the naive reference, the reference beside each fast pass: every
/// forward path, delta pass and backward path each activation can take (not only the one a plan would pick), float
/// and double, every batch length 0..256 (every vector tail and every 3-vector tile remainder; a batch shorter than
/// a vector at the narrower width, as the plan runs it), layer shapes whose row counts leave every remainder of the
/// 4-row tiles, and a shape large enough to take the packed-panel path. Each buffer sits between NaN guards, so a
/// read outside it poisons the result and a write outside it changes a guard.
/// </summary>
public class KernelVariantTests
{
    // Variants by name: the kernel types are internal to the library, and a test's parameters must be public.
    public static TheoryData<string, Activation> VariantsAndActivations()
    {
        var data = new TheoryData<string, Activation>();
        foreach (var v in KernelVariants.Supported.Where(v => v != KernelVariant.Naive))
            foreach (var a in Enum.GetValues<Activation>()) data.Add(v.ToString(), a);
        return data;
    }

    public static TheoryData<string> Variants() => new(KernelVariants.Supported.Where(v => v != KernelVariant.Naive).Select(v => v.ToString()));

    // Row counts that leave every remainder of 4-row tiles and take 5-row tiles (5, 10), in both products.
    static readonly (int NIn, int NOut)[] Shapes = [(3, 5), (1, 7), (5, 1), (9, 4), (10, 10), (6, 2)];

    /// <summary>Every shape for the activations with their own vector code (fused epilogues, vector derivatives);
    /// the others differ only in a scalar element-wise pass, and the old row kernels only in their rows, so one
    /// shape covers them and keeps the suite quick.</summary>
    static IEnumerable<(int NIn, int NOut)> ShapesFor(KernelVariant variant, Activation act) =>
        variant != KernelVariant.Rows && (act.Traits().FusesIntoProducts || act.Traits().HasVectorDerivative) ? Shapes : Shapes.Take(1);

    [Theory, MemberData(nameof(VariantsAndActivations))]
    public void FloatMatchesNaive(string name, Activation act)
    {
        var variant = Enum.Parse<KernelVariant>(name);
        foreach (var (nIn, nOut) in ShapesFor(variant, act)) CompareAllLengths<float>(variant, act, nIn, nOut, 2e-5);
    }

    [Theory, MemberData(nameof(VariantsAndActivations))]
    public void DoubleMatchesNaive(string name, Activation act)
    {
        var variant = Enum.Parse<KernelVariant>(name);
        foreach (var (nIn, nOut) in ShapesFor(variant, act)) CompareAllLengths<double>(variant, act, nIn, nOut, 1e-12);
    }

    [Theory, MemberData(nameof(Variants))]
    public void PackedPanelsMatchNaive(string name)
    {
        var variant = Enum.Parse<KernelVariant>(name);
        CompareAllLengths<float>(variant, Activation.Relu, 35, 18, 2e-5);
        CompareAllLengths<double>(variant, Activation.Relu, 18, 35, 1e-12);
        CompareAllLengths<float>(variant, Activation.Relu, 40, 25, 2e-5); // 5-row tiles on packed panels (and rows of zeros)
    }

    /// <summary>Several tiles with every kind of remainder at 32 registers (vector512): 19 and 12 rows leave 9 of a
    /// 10-row tile and 4 of an 8-row one, 23 and 13 rows 7 and 5 of 8-row tiles; the one-input path's 5- and 6-row
    /// tiles two units at a time, with an odd unit count (13, 23). At the other widths the same shapes take 4- and
    /// 5-row tiles several times over.</summary>
    [Theory, MemberData(nameof(Variants))]
    public void ManyTilesMatchNaive(string name)
    {
        var variant = Enum.Parse<KernelVariant>(name);
        foreach (var act in new[] { Activation.Relu, Activation.Tanh })
        {
            CompareAllLengths<float>(variant, act, 13, 19, 2e-5);
            CompareAllLengths<double>(variant, act, 23, 12, 1e-12);
        }
    }

    [Fact]
    public void EnvironmentOverrideIsParsed()
    {
        Assert.Equal(KernelVariant.Scalar, KernelVariants.Choose("scalar").Variant);
        Assert.Equal(KernelVariant.Scalar, KernelVariants.Choose(" SCALAR ").Variant);
        Assert.Equal(KernelVariants.Best, KernelVariants.Choose(null).Variant);
        Assert.Equal(KernelVariants.Best, KernelVariants.Choose("auto").Variant);
        foreach (var wide in new[] { KernelVariant.Vector512, KernelVariant.Vector256 })
        {
            var (forced, why) = KernelVariants.Choose(wide.Name().ToUpperInvariant());
            if (KernelVariants.Supported.Contains(wide)) { Assert.Equal(wide, forced); Assert.Null(why); }
            else { Assert.Equal(KernelVariants.Best, forced); Assert.Contains("cannot run it natively", why); }
        }
        var (v, note) = KernelVariants.Choose("avx9000");
        Assert.Equal(KernelVariants.Best, v);
        Assert.Contains("not a kernel", note);
    }

    /// <summary>The forward paths a layer of this activation can take: a product with the activation in its epilogue
    /// (storing z and a, or a alone in a shared buffer), or a product and then an activation pass.</summary>
    static IEnumerable<(ForwardPath Path, bool Shared)> ForwardPaths(KernelVariant variant, Activation act)
    {
        if (variant == KernelVariant.Rows)
        {
            yield return (ForwardPath.Rows, false);
            if (act.Traits().IsTwoPieceLinear) yield return (ForwardPath.Rows, true);
            yield break;
        }
        yield return (ForwardPath.ProductThenActivation, false);
        if (!act.Traits().FusesIntoProducts) yield break;
        yield return (ForwardPath.ProductStoresZAndA, false);
        if (act.Traits().IsTwoPieceLinear) yield return (act == Activation.Linear ? ForwardPath.ProductStoresZ : ForwardPath.ProductStoresA, true);
    }

    /// <summary>The backward paths for a kind of layer below (see <see cref="Below{T}"/>).</summary>
    static IEnumerable<BackwardPath> BackwardPaths(KernelVariant variant, Activation act, string below)
    {
        if (variant == KernelVariant.Rows) { yield return BackwardPath.Rows; yield break; }
        if (below == "none") { yield return BackwardPath.WeightsOnly; yield break; }
        yield return BackwardPath.ProductsThenDeltaPasses;
        if (below == "dropout") yield break;
        if (act.Traits().HasVectorDerivative) yield return BackwardPath.ProductsFuseDelta;
        if (below.StartsWith("first layer") && act.Traits().IsTwoPieceLinear) yield return BackwardPath.OneInputBelow;
    }

    const int Guard = 9;

    static void CompareAllLengths<T>(KernelVariant variant, Activation act, int nIn, int nOut, double tolerance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var naiveForward = KernelPasses<T>.Forward(KernelVariant.Naive, act, ForwardPath.Naive);
        var naiveBackward = KernelPasses<T>.Backward(KernelVariant.Naive, act, BackwardPath.Naive);
        var naiveDelta = KernelPasses<T>.Delta(KernelVariant.Naive, act);
        var fastDelta = KernelPasses<T>.Delta(variant, act); // the variant's own width whatever the batch, as plans run it
        var rng = new Rng((ulong)(7 + nIn * 31 + nOut));
        for (int n = 0; n <= 256; n++)
        {
            var width = KernelPlan<T>.Narrowed(variant, n);
            string at = $"{width.Name()}, {act}, {nIn}-{nOut}, n = {n}";
            T[] Random(int count) => Enumerable.Range(0, count).Select(_ => T.CreateChecked(rng.Uniform(-1.5, 1.5))).ToArray();
            var w = Random(nOut * nIn);
            var b = Random(nOut);
            var dOut = Random(nOut * n);
            var dw0 = Random(nOut * nIn);

            // The layer below (nIn units, activation act): z random, a = f(z), and a is this layer's input x.
            var zBelow = Random(nIn * n);
            var (zCopy, x) = (new T[nIn * n], new T[nIn * n]);
            var identity = new T[nIn * nIn];
            for (int k = 0; k < nIn; k++) identity[k * nIn + k] = T.One;
            naiveForward.Run(zBelow, identity, new T[nIn], zCopy, x, nIn, nIn, n);

            var (zN, aN) = (new T[nOut * n], new T[nOut * n]);
            naiveForward.Run(x, w, b, zN, aN, nIn, nOut, n);
            foreach (var (path, shared) in ForwardPaths(variant, act))
            {
                string where = $"{at}, forward {path}";
                var fast = KernelPasses<T>.Forward(width, act, path);
                if (shared)
                {
                    // z and a in one buffer (a training workspace): a lands there.
                    var one = new Guarded<T>(nOut * n);
                    fast.Run(x, w, b, one.Span, one.Span, nIn, nOut, n);
                    one.AssertGuardsIntact($"{where}: shared z and a");
                    Approx.AssertClose(aN, one.Values, tolerance, $"{where}: shared z and a");
                    continue;
                }
                var (zF, aF) = (new Guarded<T>(nOut * n), new Guarded<T>(nOut * n));
                fast.Run(new Guarded<T>(x).Span, new Guarded<T>(w).Span, new Guarded<T>(b).Span, zF.Span, aF.Span, nIn, nOut, n);
                zF.AssertGuardsIntact($"{where}: z");
                aF.AssertGuardsIntact($"{where}: a");
                Approx.AssertClose(zN, zF.Values, tolerance, $"{where}: z");
                Approx.AssertClose(aN, aF.Values, tolerance, $"{where}: a");

                // Inputs with rows of zeros (units below that are off over the whole batch): the kernel may leave them out.
                var xDead = (T[])x.Clone();
                for (int k = 0; k < nIn; k += 2) xDead.AsSpan(k * n, n).Clear();
                var (zDeadN, aDeadN) = (new T[nOut * n], new T[nOut * n]);
                naiveForward.Run(xDead, w, b, zDeadN, aDeadN, nIn, nOut, n);
                var (zDeadF, aDeadF) = (new Guarded<T>(nOut * n), new Guarded<T>(nOut * n));
                fast.Run(new Guarded<T>(xDead).Span, w, b, zDeadF.Span, aDeadF.Span, nIn, nOut, n);
                Approx.AssertClose(zDeadN, zDeadF.Values, tolerance, $"{where}: z with rows of zeros in x");
                Approx.AssertClose(aDeadN, aDeadF.Values, tolerance, $"{where}: a with rows of zeros in x");
            }

            // Delta: dL/da -> dL/dz and the bias gradient.
            var (dzN, dbN) = ((T[])dOut.Clone(), new T[nOut]);
            naiveDelta.Run(dzN, zN, aN, dbN, nOut, n);
            var (dzF, dbF) = (new Guarded<T>(dOut), new Guarded<T>(nOut));
            fastDelta.Run(dzF.Span, new Guarded<T>(zN).Span, new Guarded<T>(aN).Span, dbF.Span, nOut, n);
            dzF.AssertGuardsIntact($"{at}: delta");
            dbF.AssertGuardsIntact($"{at}: delta's db");
            Approx.AssertClose(dzN, dzF.Values, tolerance, $"{at}: delta");
            Approx.AssertClose(dbN, dbF.Values, tolerance * Math.Max(1, n), $"{at}: delta's db");

            // Backward: the first layer (nothing below), a layer below, one with dropout, a one-input first layer
            // below (whose z = w₀ input + b₀ the kernel may rebuild from its parameters).
            var mask = Enumerable.Range(0, nIn * n).Select(_ => rng.Uniform(0, 1) < 0.3 ? T.Zero : T.CreateChecked(1 / 0.7)).ToArray();
            var (input, w0, b0) = (Random(n), Random(nIn), Random(nIn));
            var (zFirst, aFirst) = (new T[nIn * n], new T[nIn * n]);
            naiveForward.Run(input, w0, b0, zFirst, aFirst, 1, nIn, n);
            // In input order each unit of the first layer is on over one run of samples (the kernel may skip the rest).
            var sorted = input.Order().ToArray();
            var (zSorted, aSorted) = (new T[nIn * n], new T[nIn * n]);
            naiveForward.Run(sorted, w0, b0, zSorted, aSorted, 1, nIn, n);
            // Inputs over a narrow range: most units are on (or off) over the whole batch, the rest change slope in it
            // (the kernel may sum one unit of each constant kind and copy it).
            var narrow = input.Select(v => T.CreateChecked(0.2 + 0.05 * double.CreateChecked(v))).ToArray();
            var (zNarrow, aNarrow) = (new T[nIn * n], new T[nIn * n]);
            naiveForward.Run(narrow, w0, b0, zNarrow, aNarrow, 1, nIn, n);
            var dzDead = (T[])dzN.Clone();
            for (int o = 0; o < nOut; o += 2) dzDead.AsSpan(o * n, n).Clear();
            foreach (var below in new[] { "none", "below", "dropout", "first layer", "first layer, sorted input", "first layer, narrow input", "below, rows of zeros in dz" })
            {
                var (zB, xB) = below switch
                {
                    "first layer" => (zFirst, aFirst),
                    "first layer, sorted input" => (zSorted, aSorted),
                    "first layer, narrow input" => (zNarrow, aNarrow),
                    _ => (zCopy, x),
                };
                var inputB = below switch { "first layer, sorted input" => sorted, "first layer, narrow input" => narrow, _ => input };
                var dzB = below == "below, rows of zeros in dz" ? dzDead : dzN;
                var (dwN, deltaN, dbBelowN, dwBelowN) = ((T[])dw0.Clone(), new T[nIn * n], new T[nIn], new T[nIn]);
                naiveBackward.Run(dzB, xB, w, dwN, nIn, nOut, n, Below(below, deltaN, zB, xB, dbBelowN, mask, inputB, dwBelowN, w0, b0));
                foreach (var path in BackwardPaths(variant, act, below))
                {
                    string where = $"{at}, {below}, backward {path}";
                    var fast = KernelPasses<T>.Backward(width, act, path);
                    var (dwF, deltaF, dbBelowF, dwBelowF) = (new Guarded<T>(dw0), new Guarded<T>(nIn * n), new Guarded<T>(nIn), new Guarded<T>(nIn));
                    fast.Run(new Guarded<T>(dzB).Span, new Guarded<T>(xB).Span, new Guarded<T>(w).Span, dwF.Span, nIn, nOut, n,
                        Below(below, deltaF.Span, new Guarded<T>(zB).Span, new Guarded<T>(xB).Span, dbBelowF.Span,
                            new Guarded<T>(mask).Span, new Guarded<T>(inputB).Span, dwBelowF.Span, new Guarded<T>(w0).Span, new Guarded<T>(b0).Span));
                    foreach (var (g, name) in new[] { (dwF, "dw"), (deltaF, "delta below"), (dbBelowF, "db below"), (dwBelowF, "dw below") })
                        g.AssertGuardsIntact($"{where}: {name}");
                    Approx.AssertClose(dwN, dwF.Values, tolerance * Math.Max(1, n), $"{where}: dw");
                    if (below.StartsWith("below") || below == "dropout") Approx.AssertClose(deltaN, deltaF.Values, tolerance * Math.Max(1, nOut), $"{where}: delta below");
                    Approx.AssertClose(dbBelowN, dbBelowF.Values, tolerance * Math.Max(1, n * nOut), $"{where}: db below");
                    Approx.AssertClose(dwBelowN, dwBelowF.Values, tolerance * Math.Max(1, n * nOut), $"{where}: dw below");
                }
            }
        }
    }

    static LayerBelow<T> Below<T>(string kind, Span<T> delta, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db,
        ReadOnlySpan<T> mask, ReadOnlySpan<T> input, Span<T> dw, ReadOnlySpan<T> w0, ReadOnlySpan<T> b0)
        where T : unmanaged, IFloatingPointIeee754<T> => kind switch
    {
        "none" => LayerBelow<T>.None,
        "below" or "below, rows of zeros in dz" => new LayerBelow<T>(delta, z, a, db),
        "dropout" => new LayerBelow<T>(delta, z, a, db, mask),
        _ => new LayerBelow<T>(delta, z, a, db, input: input, weightGradient: dw, weights: w0, biases: b0),
    };

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
