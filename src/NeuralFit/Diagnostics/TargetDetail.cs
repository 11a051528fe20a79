using NeuralFit.Configuration;
using NeuralFit.Targets;

namespace NeuralFit.Diagnostics;

/// <summary>
/// How much detail the target has where the fit is judged, measured on the target itself, before training: what a
/// network must be able to draw. Measured along lines through the evaluation domain: the whole range for one input;
/// for several, three lines parallel to each axis (through the centre and at a quarter and three quarters of the other
/// inputs' ranges), as <see cref="TargetResolution"/> does; the most demanding line counts. A network restricted to a
/// line is a network of one input with the same units, so what it can draw along a line bounds what it can draw at all.
/// Not measured for a data file, whose rows are all there is of the function (between them there is only noise to
/// count), nor when the target is not finite on most of a line.
/// </summary>
internal sealed record TargetDetail
{
    /// <summary>Points per line: 4097 for one input (sin(1000x) on [0, 1] gets 26 per period), 1025 per line beyond.</summary>
    const int OneInputPoints = 4097, LinePoints = 1025;

    /// <summary>
    /// A fit explaining 99 % of the variance (R² = 0.99, where a fit counts as failed below) may miss the target by
    /// an RMS error of 0.1 of its standard deviation, so a wiggle whose swing is under twice that can be flattened
    /// and still leave the fit good: only swings of more than 0.2 standard deviations count as turning points.
    /// </summary>
    public const double SwingInStds = 0.2;

    /// <summary>Chebyshev points that resolve the target along its most detailed input (<see cref="TargetResolution"/>),
    /// measured when first asked for: only a failing fit's capacity check needs it, and it costs milliseconds.</summary>
    public int Resolution => _resolution.Value;

    Lazy<int> _resolution = new(() => 0);

    /// <summary>The most turning points (maxima and minima, with swings above <see cref="SwingInStds"/>) along a line.</summary>
    public required int TurningPoints { get; init; }

    /// <summary>The largest ∫ √|f''| along a line: what a piecewise-linear fit must spend kinks on (see <see cref="PiecesFor"/>).</summary>
    public required double CurvatureIntegral { get; init; }

    /// <summary>The target's standard deviation over the evaluation set.</summary>
    public required double Spread { get; init; }

    /// <summary>
    /// Linear pieces a best piecewise-linear fit needs for max |error| ε, from de Boor's free-knot result: on a piece of
    /// width h where the curvature is f'', the best line misses by |f''|h²/16; spreading that error evenly gives
    /// n = ∫√|f''| / (4√ε) pieces. R² = 0.99 allows an RMS error of 0.1 standard deviations; an error that swings
    /// evenly between ±ε (the parabolic error of each piece) has an RMS of 0.683ε, so ε = 0.146 standard deviations.
    /// </summary>
    public double PiecesForGoodFit => PiecesFor(0.1 * Spread / 0.683);

    public double PiecesFor(double maxError) => maxError > 0 ? CurvatureIntegral / (4 * Math.Sqrt(maxError)) : double.PositiveInfinity;

    public static TargetDetail? Measure(ITargetFunction f, IReadOnlyList<Interval> domain, double spread)
    {
        if (!(spread > 0)) return null;
        int d = domain.Count, points = d == 1 ? OneInputPoints : LinePoints;
        int turns = 0;
        double curvature = 0;
        var x = new double[points * d];
        var y = new double[points];
        foreach (double at in new[] { 0.5, 0.25, 0.75 })
        {
            for (int axis = 0; axis < d; axis++)
            {
                for (int i = 0; i < points; i++)
                    for (int k = 0; k < d; k++)
                        x[i * d + k] = k == axis ? domain[k].Lo + domain[k].Width * i / (points - 1) : domain[k].Lo + at * domain[k].Width;
                f.Evaluate(x, y);
                if (y.Count(double.IsFinite) < points / 2) return null;
                turns = Math.Max(turns, CountTurns(y, SwingInStds * spread));
                curvature = Math.Max(curvature, CurvatureAlong(y));
            }
            if (d == 1) break;
        }
        return new TargetDetail
        {
            _resolution = new Lazy<int>(() => TargetResolution.Measure(f, domain)),
            TurningPoints = turns,
            CurvatureIntegral = curvature,
            Spread = spread,
        };
    }

    /// <summary>
    /// Maxima and minima of a sampled curve whose swing from the previous one exceeds <paramref name="swing"/> (a
    /// zig-zag with hysteresis, so noise-sized wiggles are not counted). Non-finite values are skipped.
    /// </summary>
    internal static int CountTurns(ReadOnlySpan<double> y, double swing)
    {
        int count = 0, direction = 0;
        double low = double.PositiveInfinity, high = double.NegativeInfinity, extreme = 0;
        foreach (double v in y)
        {
            if (!double.IsFinite(v)) continue;
            if (direction == 0)
            {
                (low, high) = (Math.Min(low, v), Math.Max(high, v));
                if (v - low > swing) (direction, extreme) = (1, v);
                else if (high - v > swing) (direction, extreme) = (-1, v);
            }
            else if (direction * (v - extreme) > 0) extreme = v;
            else if (Math.Abs(v - extreme) > swing) (direction, extreme, count) = (-direction, v, count + 1);
        }
        return count;
    }

    /// <summary>∫ √|f''| dx by second differences on an even grid: Σ √|y[i−1] − 2y[i] + y[i+1]| (the spacing cancels).</summary>
    internal static double CurvatureAlong(ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 1; i + 1 < y.Length; i++)
        {
            double second = y[i - 1] - 2 * y[i] + y[i + 1];
            if (double.IsFinite(second)) sum += Math.Sqrt(Math.Abs(second));
        }
        return sum;
    }
}
