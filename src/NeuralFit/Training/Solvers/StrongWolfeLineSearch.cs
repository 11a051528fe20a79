namespace NeuralFit.Training.Solvers;

/// <summary>The point a line search settled on.</summary>
/// <param name="Step">t, the multiple of the direction taken (0 when nothing lower was found).</param>
/// <param name="Value">f(x + t d).</param>
/// <param name="Evaluations">Objective evaluations spent.</param>
/// <param name="Wolfe">True when the strong Wolfe conditions hold at the point; false when the search ran out of
/// evaluations or of interval and returned the lowest point it saw.</param>
internal readonly record struct LineSearchResult(double Step, double Value, int Evaluations, bool Wolfe)
{
    public bool Decreased(double f0) => Step > 0 && Value < f0;
}

/// <summary>
/// A line search for a step t along a descent direction d that satisfies the strong Wolfe conditions
///   f(x + t d) ≤ f(x) + c₁ t ∇f(x)·d   (sufficient decrease)   and   |∇f(x + t d)·d| ≤ c₂ |∇f(x)·d|   (curvature).
/// Nocedal and Wright, Numerical Optimization, 2nd ed. (2006): Algorithm 3.5 brackets an acceptable step,
/// growing t by safeguarded cubic extrapolation; Algorithm 3.6 ("zoom") shrinks the bracket by safeguarded cubic
/// interpolation (their eq. 3.59). The safeguards follow torch.optim.LBFGS's strong_wolfe
/// (https://pytorch.org/docs/stable/generated/torch.optim.LBFGS.html). c₁ = 1e-4, c₂ = 0.9 as N&amp;W suggest
/// for quasi-Newton methods.
/// </summary>
internal sealed class StrongWolfeLineSearch(int parameterCount)
{
    public double C1 { get; init; } = 1e-4;
    public double C2 { get; init; } = 0.9;
    public int MaxEvaluations { get; init; } = 25;

    /// <summary>The bracket is abandoned when it moves θ by less than this (in the largest component).</summary>
    public double MinimumChange { get; init; } = 1e-14;

    readonly double[] _gradientLow = new double[parameterCount], _gradientTrial = new double[parameterCount];

    /// <summary>
    /// Searches along d from x, where f(x) = f0 and ∇f(x) = g0, starting with step t0. On return x1 = x + t d at
    /// the chosen t and g1 its gradient (both untouched when no lower point was found).
    /// </summary>
    public LineSearchResult Search(IObjective f, double[] x, double[] d, double f0, double[] g0, double t0, double[] x1, double[] g1)
    {
        double slope0 = Dot(g0, d);
        double dMax = 0;
        foreach (double v in d) dMax = Math.Max(dMax, Math.Abs(v));
        int evaluations = 0;

        (double F, double Slope) Evaluate(double t)
        {
            for (int i = 0; i < x.Length; i++) x1[i] = x[i] + t * d[i];
            double value = f.ValueAndGradient(x1, _gradientTrial);
            evaluations++;
            return (value, Dot(_gradientTrial, d));
        }
        bool Armijo(double t, double value) => value <= f0 + C1 * t * slope0;
        bool Curvature(double slope) => Math.Abs(slope) <= -C2 * slope0;

        // Bracketing (Algorithm 3.5). lo is the best point that satisfies sufficient decrease; its gradient is kept.
        var lo = new Point(0, f0, slope0);
        g0.CopyTo(_gradientLow, 0);
        var hi = new Point(double.NaN, double.NaN, double.NaN);
        double t = t0;
        bool bracketed = false;
        while (evaluations < MaxEvaluations)
        {
            var (value, slope) = Evaluate(t);
            if (!double.IsFinite(value) || !Armijo(t, value) || value >= lo.F)
            {
                hi = new Point(t, value, slope);
                bracketed = true;
                break;
            }
            if (Curvature(slope)) return Accept(t, value, wolfe: true);
            var previous = lo;
            lo = new Point(t, value, slope);
            _gradientTrial.CopyTo(_gradientLow, 0);
            if (slope >= 0)
            {
                hi = previous; // the minimum lies between the previous point and this one
                bracketed = true;
                break;
            }
            double min = t + 0.01 * (t - previous.T), max = 10 * t;
            t = CubicMinimizer(previous, lo, min, max);
        }
        if (!bracketed) return Finish(wolfe: false);

        // Zoom (Algorithm 3.6): lo satisfies sufficient decrease and is the lowest seen; the minimum lies between lo and hi.
        bool insufficientProgress = false;
        while (evaluations < MaxEvaluations)
        {
            double a = Math.Min(lo.T, hi.T), b = Math.Max(lo.T, hi.T);
            if ((b - a) * dMax < MinimumChange) break;
            t = double.IsFinite(hi.F) ? CubicMinimizer(lo, hi, a, b) : 0.5 * (a + b);
            // Keep t away from the ends, or the bracket may shrink by almost nothing (as torch's strong_wolfe).
            double margin = 0.1 * (b - a);
            if (Math.Min(b - t, t - a) < margin)
            {
                if (insufficientProgress || t >= b || t <= a)
                {
                    t = Math.Abs(t - b) < Math.Abs(t - a) ? b - margin : a + margin;
                    insufficientProgress = false;
                }
                else insufficientProgress = true;
            }
            else insufficientProgress = false;

            var (value, slope) = Evaluate(t);
            if (!double.IsFinite(value) || !Armijo(t, value) || value >= lo.F)
            {
                hi = new Point(t, value, slope);
                continue;
            }
            if (Curvature(slope)) return Accept(t, value, wolfe: true);
            if (slope * (hi.T - lo.T) >= 0) hi = lo;
            lo = new Point(t, value, slope);
            _gradientTrial.CopyTo(_gradientLow, 0);
        }
        return Finish(wolfe: false);

        LineSearchResult Accept(double step, double value, bool wolfe)
        {
            _gradientTrial.CopyTo(g1, 0);
            return new LineSearchResult(step, value, evaluations, wolfe);
        }

        LineSearchResult Finish(bool wolfe)
        {
            if (lo.T == 0) return new LineSearchResult(0, f0, evaluations, false);
            for (int i = 0; i < x.Length; i++) x1[i] = x[i] + lo.T * d[i];
            _gradientLow.CopyTo(g1, 0);
            return new LineSearchResult(lo.T, lo.F, evaluations, wolfe);
        }
    }

    readonly record struct Point(double T, double F, double Slope);

    /// <summary>
    /// The minimiser of the cubic through two points with their slopes (Nocedal and Wright, eq. 3.59), clamped to
    /// [min, max]; the middle of that range when the cubic has no minimiser.
    /// </summary>
    static double CubicMinimizer(Point p, Point q, double min, double max)
    {
        double d1 = p.Slope + q.Slope - 3 * (p.F - q.F) / (p.T - q.T);
        double square = d1 * d1 - p.Slope * q.Slope;
        if (!(square >= 0)) return 0.5 * (min + max);
        double d2 = Math.Sqrt(square);
        double t = p.T <= q.T
            ? q.T - (q.T - p.T) * ((q.Slope + d2 - d1) / (q.Slope - p.Slope + 2 * d2))
            : p.T - (p.T - q.T) * ((p.Slope + d2 - d1) / (p.Slope - q.Slope + 2 * d2));
        return double.IsFinite(t) ? Math.Clamp(t, min, max) : 0.5 * (min + max);
    }

    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);
}
