using NeuralFit.Configuration;

namespace NeuralFit.Sampling;

/// <summary>
/// Training points for one input placed by the target's own shape: dense where it bends, sparse where it is straight.
/// A piecewise-linear fit with pieces of width h errs by about h²|f''|/8 on each, so pieces (and the points that pin
/// them) should be spaced so that h√|f''| is the same everywhere: equal shares of ∫√|f''| (de Boor, "Good approximation
/// by splines with variable knots", 1973; the same density serves a tanh network, whose units bend where the target
/// does). For ln(x) that is √(1/x²) = 1/x: log spacing. The points are spaced evenly in that coordinate, both ends
/// included. A floor of a hundredth of the mean of √|f''| keeps straight stretches sampled.
/// </summary>
internal static class CurvaturePoints
{
    /// <summary>Points of the fine grid the curvature is measured on.</summary>
    const int Fine = 4097;

    /// <summary>How many times the densest part of the domain must want more points than the sparsest before this
    /// spacing is worth choosing over an even grid (see <see cref="Density"/>).</summary>
    public const double WorthwhileContrast = 10;

    /// <summary>√|f''| + floor on a fine even grid of the range, or null where the target is not finite.</summary>
    public static double[]? Density(Func<double, double> f, Interval range)
    {
        double h = range.Width / (Fine - 1);
        var y = new double[Fine];
        for (int i = 0; i < Fine; i++)
        {
            y[i] = f(range.Lo + i * h);
            if (!double.IsFinite(y[i])) return null;
        }
        var m = new double[Fine];
        for (int i = 1; i < Fine - 1; i++) m[i] = Math.Sqrt(Math.Abs(y[i + 1] - 2 * y[i] + y[i - 1]) / (h * h));
        (m[0], m[^1]) = (m[1], m[^2]);
        double floor = 0.01 * m.Average();
        if (!(floor > 0) || !double.IsFinite(floor)) return null;
        for (int i = 0; i < Fine; i++) m[i] += floor;
        return m;
    }

    /// <summary>Equal windows the domain is cut into to judge how unevenly the target asks for points.</summary>
    const int Windows = 16;

    /// <summary>How unevenly the target asks for points over the domain: the largest share of ∫√|f''| that one of
    /// <see cref="Windows"/> equal windows holds over the smallest. Judged per window, not per point, so an oscillating
    /// target (whose √|f''| falls to 0 at every inflection) counts as even: each window holds as many periods.</summary>
    public static double Contrast(double[] density)
    {
        var mass = new double[Windows];
        for (int i = 0; i < density.Length; i++) mass[Math.Min(Windows - 1, i * Windows / density.Length)] += density[i];
        return mass.Max() / mass.Min();
    }

    /// <summary>n points (both ends included) spaced evenly in the coordinate s(x) = ∫√|f''| / ∫√|f''| over the range.</summary>
    public static double[] Points(double[] density, Interval range, int n)
    {
        var at = Placement(density, range);
        var x = new double[n];
        for (int k = 0; k < n; k++) x[k] = at(n == 1 ? 0.5 : (double)k / (n - 1));
        return x;
    }

    /// <summary>The x at which s(x) = ∫√|f''| / ∫√|f''| over the range reaches a share (0 at the low end, 1 at the high end).</summary>
    public static Func<double, double> Placement(double[] density, Interval range)
    {
        double h = range.Width / (Fine - 1);
        var cumulative = new double[Fine];
        for (int i = 1; i < Fine; i++) cumulative[i] = cumulative[i - 1] + 0.5 * (density[i - 1] + density[i]) * h;
        double total = cumulative[^1];
        return share =>
        {
            double target = Math.Clamp(share, 0, 1) * total;
            int j = Array.BinarySearch(cumulative, target);
            j = Math.Clamp(j >= 0 ? j : ~j - 1, 0, Fine - 2);
            double piece = cumulative[j + 1] - cumulative[j];
            double t = piece > 0 ? Math.Clamp((target - cumulative[j]) / piece, 0, 1) : 0;
            return Math.Clamp(range.Lo + (j + t) * h, range.Lo, range.Hi);
        };
    }
}
