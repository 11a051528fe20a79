using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Targets;

namespace NeuralFit.Evaluation;

/// <summary>
/// A search for the point where a model is furthest from its target, started from the worst points of an evaluation
/// sample. Between sample points the error can peak higher than at any of them (a sharp ridge, a corner), and a user
/// who asks for the largest error means the domain's, not the sample's. Compass search (Kolda, Lewis and Torczon,
/// "Optimization by direct search", SIAM Review 45, 2003, §3): from the best point so far, try a step of h along each
/// input both ways; move to the best trial if it raises |error|, else halve h. It needs no derivative of the target,
/// which may be only piecewise smooth, and stays inside the domain by clipping.
/// </summary>
internal static class WorstPointSearch
{
    /// <summary>Worst sample points searched from: several, because the error's peaks are local.</summary>
    public const int Starts = 8;

    /// <summary>Halvings of the step: from half the sample's spacing down to about 1e-4 of it.</summary>
    const int Halvings = 14;

    /// <summary>Most iterations from each start (each tries 2 × inputs points).</summary>
    const int MaxIterations = 60;

    public sealed record Found(double[] X, double AbsError, int PointsTried);

    /// <param name="x">The sample's inputs, row-major (n, d).</param>
    /// <param name="error">|prediction − target| at each sample point (NaN where the target is not finite).</param>
    public static Found Run(ITargetFunction target, FittedModel model, IReadOnlyList<Interval> domain, ReadOnlySpan<double> x, double[] error)
    {
        int d = domain.Count, n = error.Length;
        var order = Enumerable.Range(0, n).Where(i => double.IsFinite(error[i])).OrderByDescending(i => error[i]).Take(Starts).ToArray();
        if (order.Length == 0) return new Found([], double.NaN, 0);
        double spacing = Math.Pow(n, -1.0 / d); // of a space-filling sample, as a share of each range
        var bestX = x.Slice(order[0] * d, d).ToArray();
        double bestError = error[order[0]];
        int tried = 0;
        var trials = new double[2 * d * d];
        var y = new double[2 * d];
        foreach (int start in order)
        {
            var point = x.Slice(start * d, d).ToArray();
            double current = error[start], h = spacing / 2;
            for (int iteration = 0, halvings = 0; iteration < MaxIterations && halvings <= Halvings; iteration++)
            {
                for (int k = 0; k < 2 * d; k++)
                {
                    var trial = trials.AsSpan(k * d, d);
                    point.CopyTo(trial);
                    int axis = k / 2;
                    double moved = trial[axis] + (k % 2 == 0 ? h : -h) * domain[axis].Width;
                    trial[axis] = Math.Clamp(moved, domain[axis].Lo, domain[axis].Hi);
                }
                var predicted = model.Predict(trials);
                target.Evaluate(trials, y);
                tried += 2 * d;
                int best = -1;
                for (int k = 0; k < 2 * d; k++)
                {
                    double e = Math.Abs(predicted[k] - y[k]);
                    if (double.IsFinite(y[k]) && e > current) (current, best) = (e, k);
                }
                if (best >= 0) trials.AsSpan(best * d, d).CopyTo(point);
                else { h /= 2; halvings++; }
            }
            if (current > bestError) (bestError, bestX) = (current, point);
        }
        return new Found(bestX, bestError, tried);
    }
}
