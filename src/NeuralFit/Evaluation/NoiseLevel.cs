using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

/// <summary>
/// How much of a data file's target is noise, bounded from above from the rows alone: no fit can be expected to
/// predict held-out rows with a mean squared error below the noise variance σ². The bound is Rice's difference
/// estimator — half the mean squared difference between each row's target and its nearest neighbour's, inputs
/// standardised: σ² plus the function's change over the distance to the nearest neighbour, small where rows are
/// dense — taken on the residuals of the least-squares line, so no fitted model enters it (the line's own residual
/// variance would be a bound the line always meets). On a few hundred rows in eight dimensions it can overestimate a
/// nonlinear target's noise several-fold, so the bound says when a fit is as good as the data allow, never that it
/// is not.
/// </summary>
internal static class NoiseLevel
{
    /// <summary>Rows searched for neighbours: the search costs rows² × inputs.</summary>
    const int MaxRows = 2000;

    /// <summary>
    /// An upper bound on the noise variance that no fitted model enters, to judge a model against: the
    /// nearest-neighbour estimate on the residuals of the least-squares line, σ² plus half the mean squared change of
    /// what the line leaves over the distance to the nearest neighbour — tighter than on the targets themselves, since
    /// the trend the line removes no longer counts. Beside it, the variance of those residuals: when the line has
    /// taken all there is, both estimate σ². Null with fewer rows than inputs + 3.
    /// </summary>
    public static LocalNoise? Local(SampleSet data)
    {
        var (finite, _) = data.WithoutNonFinite();
        if (finite.Count < finite.Inputs + 3) return null;
        var coef = LeastSquares.Fit(finite);
        return new LocalNoise(NeighbourDifference(LeastSquares.Residuals(coef, finite)), LeastSquares.Mse(coef, finite), finite.Count);
    }

    /// <summary>½·mean (y_i − y_nn(i))² over (a strided subsample of) the rows, with inputs scaled to unit variance.</summary>
    static double NeighbourDifference(SampleSet s)
    {
        int n = Math.Min(MaxRows, s.Count), d = s.Inputs;
        var rows = s.Select(Enumerable.Range(0, n).Select(i => (int)((long)i * s.Count / n)));
        var scale = new double[d];
        for (int k = 0; k < d; k++)
        {
            var (_, std, _) = Preprocessing.AffineMap.Moments(rows.X.Span, d, k);
            scale[k] = std > 0 ? 1 / std : 0;
        }
        double sum = 0;
        ReadOnlySpan<double> x = rows.X.Span, y = rows.Y.Span;
        for (int i = 0; i < n; i++)
        {
            double best = double.PositiveInfinity;
            int nearest = -1;
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                double dist = 0;
                for (int k = 0; k < d && dist < best; k++)
                {
                    double delta = (x[i * d + k] - x[j * d + k]) * scale[k];
                    dist += delta * delta;
                }
                if (dist < best) (best, nearest) = (dist, j);
            }
            double dy = y[i] - y[nearest];
            sum += dy * dy;
        }
        return 0.5 * sum / n;
    }
}

/// <summary>What <see cref="NoiseLevel.Local"/> measured on <paramref name="Rows"/> rows.</summary>
/// <param name="Ceiling">Upper bound on the noise variance: the line's residuals' nearest-neighbour estimate.</param>
/// <param name="LineMse">The least-squares line's mean squared residual on the same rows.</param>
internal sealed record LocalNoise(double Ceiling, double LineMse, int Rows)
{
    /// <summary>
    /// The line leaves nothing its residuals' neighbours can show: their nearest-neighbour estimate is not below
    /// their variance by more than two standard errors. Each of the n halved squared differences is σ²·χ²₁ for
    /// Gaussian noise (relative variance 2), and mutual nearest neighbours count a difference twice, so at worst they
    /// are n/2 independent ones: a relative standard error of √(2/(n/2)) = 2/√n, two of them 4/√n. A line that
    /// misses a curve its rows resolve has residuals that agree with their neighbours, and fails.
    /// </summary>
    public bool LineAtNoise => Ceiling >= LineMse * (1 - 4 / Math.Sqrt(Rows));

    /// <summary>
    /// The held-out MSE that is still within the noise on <paramref name="heldOutRows"/> rows: the ceiling plus two
    /// standard errors of a mean of squared Gaussian residuals over them (relative standard error √(2/n)).
    /// </summary>
    public double Allowance(int heldOutRows) => Ceiling * (1 + 2 * Math.Sqrt(2.0 / Math.Max(1, heldOutRows)));

    /// <summary>
    /// Whether a model's error on held-out rows (<paramref name="heldOut"/>) is down to the noise — the one judgement
    /// the verdict and the diagnosis share. The line (<paramref name="byLine"/>): its training residuals show no
    /// structure their neighbours can find (<see cref="LineAtNoise"/>), a test on many more rows than the held-out
    /// ones and not met merely by being the line. A network: its held-out MSE is within <see cref="Allowance"/>.
    /// </summary>
    public bool Reached(Evaluation heldOut, bool byLine) => byLine ? LineAtNoise : heldOut.Mse <= Allowance(heldOut.Points);
}
