using NeuralFit.Configuration;
using NeuralFit.Targets;

namespace NeuralFit.Evaluation;

/// <summary>
/// The polynomial of degree n − 1 that interpolates a function at the n Chebyshev points of the first kind on an
/// interval, xⱼ = mid + half·cos(π(j + ½)/n), written in the Chebyshev basis: p(x) = Σₖ cₖ Tₖ(t), t the point mapped
/// onto [−1, 1]. Coefficients by the discrete cosine transform cₖ = (2/n) Σⱼ f(xⱼ) cos(πk(j + ½)/n), c₀ halved;
/// values by Clenshaw's recurrence (Trefethen, Approximation Theory and Approximation Practice, 2013, ch. 3–4).
/// The classical yardstick for a network of as many parameters as the interpolant has coefficients.
/// </summary>
internal sealed class ChebyshevInterpolant
{
    /// <summary>Most coefficients computed: the transform costs n² operations.</summary>
    public const int MaxCoefficients = 10_000;

    readonly double[] _c;
    readonly Interval _range;

    ChebyshevInterpolant(double[] coefficients, Interval range) => (_c, _range) = (coefficients, range);

    public IReadOnlyList<double> Coefficients => _c;

    /// <summary>The interpolant of f with n coefficients, or null when f is not finite at some node.</summary>
    public static ChebyshevInterpolant? Fit(Func<double, double> f, Interval range, int n)
    {
        if (n < 1 || n > MaxCoefficients) throw new ArgumentOutOfRangeException(nameof(n));
        var values = new double[n];
        for (int j = 0; j < n; j++)
        {
            values[j] = f(range.Mid + 0.5 * range.Width * Math.Cos(Math.PI * (j + 0.5) / n));
            if (!double.IsFinite(values[j])) return null;
        }
        // cos(πk(j + ½)/n) = cos(2π·k(2j + 1)/4n): one table of 4n cosines serves every term exactly.
        int period = 4 * n;
        var cosines = new double[period];
        for (int m = 0; m < period; m++) cosines[m] = Math.Cos(2 * Math.PI * m / period);
        var c = new double[n];
        for (int k = 0; k < n; k++)
        {
            double sum = 0;
            long step = 2L * k % period, index = k % period;
            for (int j = 0; j < n; j++, index = (index + step) % period) sum += values[j] * cosines[index];
            c[k] = 2.0 / n * sum;
        }
        c[0] *= 0.5;
        return new ChebyshevInterpolant(c, range);
    }

    public static ChebyshevInterpolant? Fit(ITargetFunction f, Interval range, int n)
    {
        var x = new double[1];
        var y = new double[1];
        return Fit(v => { x[0] = v; f.Evaluate(x, y); return y[0]; }, range, n);
    }

    public double Evaluate(double x)
    {
        double t = (2 * x - (_range.Lo + _range.Hi)) / _range.Width, b1 = 0, b2 = 0;
        for (int k = _c.Length - 1; k >= 1; k--) (b1, b2) = (2 * t * b1 - b2 + _c[k], b1);
        return t * b1 - b2 + _c[0];
    }
}
