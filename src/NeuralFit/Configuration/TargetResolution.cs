using NeuralFit.Evaluation;
using NeuralFit.Targets;

namespace NeuralFit.Configuration;

/// <summary>
/// How much detail a target has, measured the way Chebfun decides how many coefficients a function needs
/// (Trefethen, Approximation Theory and Approximation Practice, ch. 7–8): the fewest Chebyshev points n (of 9, 17,
/// 33, …, 513) whose interpolant's last quarter of coefficients has fallen below <see cref="Tolerance"/> of the
/// largest. A smooth, slowly varying target needs few (x² needs 9, sin(2πx) on [0, 1] 17); a steep or oscillating one
/// many (tanh(50x) on [−1, 1] 513); a target with a singularity at or near the domain never gets there, or is not
/// finite at a node, and counts as <see cref="Unresolved"/>. With several inputs, each input is measured along three
/// lines parallel to its axis (through the centre and at a quarter and three quarters of the other inputs'
/// ranges), and the largest count is taken.
/// </summary>
internal static class TargetResolution
{
    public const double Tolerance = 1e-6;
    public const int Unresolved = 1025;
    static readonly int[] Sizes = [9, 17, 33, 65, 129, 257, 513];

    public static int Measure(ITargetFunction f, IReadOnlyList<Interval> domain)
    {
        int d = domain.Count, worst = 0;
        var point = new double[d];
        var y = new double[1];
        foreach (double at in new[] { 0.5, 0.25, 0.75 })
        {
            for (int axis = 0; axis < d; axis++)
            {
                for (int k = 0; k < d; k++) point[k] = domain[k].Lo + at * domain[k].Width;
                int a = axis;
                worst = Math.Max(worst, Measure(v => { point[a] = v; f.Evaluate(point, y); return y[0]; }, domain[axis]));
            }
            if (d == 1) break;
        }
        return worst;
    }

    public static int Measure(Func<double, double> f, Interval range)
    {
        foreach (int n in Sizes)
        {
            var p = ChebyshevInterpolant.Fit(f, range, n);
            if (p is null) return Unresolved;
            double largest = 0, tail = 0;
            var c = p.Coefficients;
            for (int k = 0; k < n; k++)
            {
                double v = Math.Abs(c[k]);
                largest = Math.Max(largest, v);
                if (k >= 3 * n / 4) tail = Math.Max(tail, v);
            }
            if (tail <= Tolerance * largest) return n;
        }
        return Unresolved;
    }
}
