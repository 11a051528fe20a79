using NeuralFit.Configuration;

namespace NeuralFit.Sampling;

/// <summary>
/// Input points over a domain, row-major (n, inputs). Random sets draw each input independently; grids and
/// Chebyshev nodes form the tensor product of per-input points, k per input with k^inputs ≈ n.
/// </summary>
internal static class PointSets
{
    public static double[] Uniform(IReadOnlyList<Interval> domain, int n, Rng rng)
    {
        int d = domain.Count;
        var x = new double[n * d];
        FillUniform(domain, x, rng);
        return x;
    }

    /// <summary>x[i] = rng.Uniform over input i mod d's range, the draws in order.</summary>
    public static void FillUniform(IReadOnlyList<Interval> domain, Span<double> x, Rng rng)
    {
        int d = domain.Count;
        rng.FillDoubles(x);
        for (int k = 0; k < d; k++)
        {
            var (lo, hi) = (domain[k].Lo, domain[k].Hi);
            for (int i = k; i < x.Length; i += d) x[i] = lo + (hi - lo) * x[i]; // as Rng.Uniform
        }
    }

    /// <summary>Uniform in log |x|: as many points in [0.01, 0.1] as in [0.1, 1]. Each range must not contain 0.</summary>
    public static double[] LogUniform(IReadOnlyList<Interval> domain, int n, Rng rng)
    {
        foreach (var r in domain)
            if (r.Lo <= 0 && r.Hi >= 0)
                throw new InputError($"sampler log-uniform: the range {r} contains 0; use a range on one side of zero, or another sampler");
        int d = domain.Count;
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++)
        {
            var r = domain[i % d];
            double sign = r.Lo > 0 ? 1 : -1;
            double a = Math.Log(Math.Abs(r.Lo)), b = Math.Log(Math.Abs(r.Hi));
            x[i] = sign * Math.Exp(rng.Uniform(Math.Min(a, b), Math.Max(a, b)));
        }
        return x;
    }

    /// <summary>Evenly spaced points including both ends of each range.</summary>
    public static double[] Grid(IReadOnlyList<Interval> domain, int n) =>
        TensorProduct(domain, n, (r, k, i) => k == 1 ? r.Mid : r.Lo + r.Width * i / (k - 1));

    /// <summary>Chebyshev nodes of the first kind, cos((2i + 1)π / 2k) mapped onto each range: dense near the ends.</summary>
    public static double[] Chebyshev(IReadOnlyList<Interval> domain, int n) =>
        TensorProduct(domain, n, (r, k, i) => r.Mid - 0.5 * r.Width * Math.Cos((2 * i + 1) * Math.PI / (2 * k)));

    /// <summary>Geometrically spaced points including both ends of each range (equal ratios, as log-uniform but without
    /// its random gaps). Each range must not contain 0.</summary>
    public static double[] LogGrid(IReadOnlyList<Interval> domain, int n)
    {
        foreach (var r in domain)
            if (r.Lo <= 0 && r.Hi >= 0)
                throw new InputError($"sampler log-grid: the range {r} contains 0; use a range on one side of zero, or another sampler");
        return TensorProduct(domain, n, (r, k, i) =>
        {
            double a = Math.Log(Math.Abs(r.Lo)), b = Math.Log(Math.Abs(r.Hi)), sign = r.Lo > 0 ? 1 : -1;
            return k == 1 ? sign * Math.Exp(0.5 * (a + b)) : sign * Math.Exp(a + (b - a) * i / (k - 1));
        });
    }

    /// <summary>The first n points of the Sobol sequence mapped onto the ranges: space-filling in every input at once.</summary>
    public static double[] Sobol(IReadOnlyList<Interval> domain, int n)
    {
        int d = domain.Count;
        var x = Sampling.Sobol.Points(n, d);
        for (int i = 0; i < x.Length; i++) x[i] = domain[i % d].Lo + domain[i % d].Width * x[i];
        return x;
    }

    /// <summary>Points per input for a tensor-product set of about n points.</summary>
    public static int PerAxis(int n, int inputs) => inputs == 1 ? n : Math.Max(2, (int)Math.Round(Math.Pow(n, 1.0 / inputs)));

    static double[] TensorProduct(IReadOnlyList<Interval> domain, int n, Func<Interval, int, int, double> node)
    {
        int d = domain.Count, k = PerAxis(n, d);
        long total = (long)Math.Pow(k, d);
        if (total * d > 200_000_000) throw new InputError($"a grid of {k}^{d} points is too large");
        var axes = domain.Select(r => Enumerable.Range(0, k).Select(i => node(r, k, i)).ToArray()).ToArray();
        var x = new double[total * d];
        var index = new int[d];
        for (long p = 0; p < total; p++)
        {
            for (int j = 0; j < d; j++) x[p * d + j] = axes[j][index[j]];
            for (int j = d - 1; j >= 0 && ++index[j] == k; j--) index[j] = 0; // odometer: last input varies fastest
        }
        return x;
    }
}
