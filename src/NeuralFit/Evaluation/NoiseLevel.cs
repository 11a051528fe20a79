using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

/// <summary>
/// How much of a data file's target is noise, bounded from above from the rows alone: no fit can be expected to
/// predict held-out rows with a mean squared error below the noise variance σ². Two estimates, each σ² plus a bias
/// from the function (so each is an upper bound in expectation), of which the smaller is kept:
/// <list type="bullet">
/// <item>the residual variance of the least-squares affine fit, SSE/(n − d − 1): σ² plus whatever a plane cannot
///   follow (exact for a linear target with noise);</item>
/// <item>half the mean squared difference between each row's target and its nearest neighbour's, inputs
///   standardised (Rice's difference estimator): σ² plus the function's change over the distance to the nearest
///   neighbour, which is small where rows are dense.</item>
/// </list>
/// On a few hundred rows in eight dimensions both overestimate a nonlinear target's noise several-fold (friedman1:
/// 5.2 and 7.9 against σ² = 1), so the bound says when a fit is as good as the data allows, never that it is not.
/// </summary>
internal static class NoiseLevel
{
    /// <summary>Rows searched for neighbours: the search costs rows² × inputs.</summary>
    const int MaxRows = 2000;

    /// <summary>The smaller estimate, or null with fewer rows than inputs + 3 (no residual left to measure).</summary>
    public static double? Ceiling(SampleSet data)
    {
        var (finite, _) = data.WithoutNonFinite();
        if (finite.Count < finite.Inputs + 3) return null;
        double affine = AffineResidualVariance(finite);
        double neighbours = NeighbourDifference(finite);
        return Math.Min(affine, neighbours);
    }

    /// <summary>
    /// An upper bound on the noise variance that no fitted model enters, to judge a model against (the affine
    /// estimate of <see cref="Ceiling"/> is the line's own error, so the line would always meet it): the
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

    static double AffineResidualVariance(SampleSet s)
    {
        var coef = LeastSquares.Fit(s);
        double mse = LeastSquares.Mse(coef, s);
        return mse * s.Count / (s.Count - s.Inputs - 1);
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
}
