using NeuralFit.Numerics;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

/// <summary>
/// Ridge regression, the linear baseline of a data fit: inputs standardised on the rows it is fitted to, an unpenalised
/// intercept, and weights w minimising Σ(y − ȳ − x̃·w)² + α‖w‖² in closed form (Hoerl and Kennard 1970), as
/// scikit-learn's <c>make_pipeline(StandardScaler(), RidgeCV(alphas))</c>. α is chosen by exact leave-one-out
/// cross-validation over a log grid (Golub, Heath and Wahba, "Generalized cross-validation as a method for choosing a
/// good ridge parameter", Technometrics 21, 1979): with X̃ᵀX̃ = VΛVᵀ and zᵢ = Vᵀx̃ᵢ, the fit at α is
/// ŷᵢ = ȳ + Σₖ zᵢₖ qₖ/(λₖ + α) with q = VᵀX̃ᵀ(y − ȳ), the leverage hᵢ = 1/n + Σₖ zᵢₖ²/(λₖ + α), and the residual
/// row i would leave when held out is (yᵢ − ŷᵢ)/(1 − hᵢ): one decomposition serves every α, at n·d per α.
/// </summary>
internal sealed class RidgeRegression
{
    /// <summary>α over n from 1e-8 (least squares, for all practical purposes) to 1e3 (nearly the mean), four per
    /// decade: the standardised inputs' Gram matrix has a trace of n·d, so α/n sets the penalty against the data.</summary>
    static readonly double[] RelativeAlphas = Enumerable.Range(0, 45).Select(k => Math.Pow(10, -8 + k / 4.0)).ToArray();

    public required AffineMap[] Inputs { get; init; }
    public required double[] Weights { get; init; }
    public required double Intercept { get; init; }
    public required double Alpha { get; init; }

    /// <summary>Mean squared leave-one-out error at the chosen α: the baseline's held-out error on the rows it was fitted to.</summary>
    public required double LeaveOneOutMse { get; init; }

    public int InputCount => Weights.Length;

    /// <summary>Fits the rows with α chosen by leave-one-out; <paramref name="alphas"/> overrides the grid. Two passes
    /// over the rows, each standardising a row as it goes: no copy of them is made, whatever their number.</summary>
    public static RidgeRegression Fit(SampleSet rows, IReadOnlyList<double>? alphas = null)
    {
        int n = rows.Count, d = rows.Inputs;
        if (n < 2) throw new InputError($"ridge regression needs at least 2 rows, got {n}");
        var xs = rows.X.Span;
        var ys = rows.Y.Span;
        var maps = new AffineMap[d];
        for (int j = 0; j < d; j++) maps[j] = AffineMap.Standardize(xs, d, j);
        double mean = 0;
        foreach (double y in ys) mean += y;
        mean /= n;

        var gram = new double[d * d];
        var xty = new double[d];
        var row = new double[d];
        for (int i = 0; i < n; i++)
        {
            Standardized(xs.Slice(i * d, d), maps, row);
            for (int j = 0; j < d; j++)
            {
                double xij = row[j];
                xty[j] += xij * (ys[i] - mean);
                for (int k = 0; k <= j; k++) gram[j * d + k] += xij * row[k];
            }
        }
        for (int j = 0; j < d; j++)
            for (int k = 0; k < j; k++) gram[k * d + j] = gram[j * d + k];
        var (lambda, v) = SymmetricEigen.Decompose(gram, d);
        var q = new double[d];
        for (int k = 0; k < d; k++)
            for (int j = 0; j < d; j++) q[k] += v[j * d + k] * xty[j];

        var grid = alphas ?? RelativeAlphas.Select(a => a * n).ToArray();
        var heldOut = HeldOutMse(xs, ys, maps, mean, v, q, lambda, grid);
        double bestAlpha = grid[0], bestMse = double.PositiveInfinity;
        for (int a = 0; a < grid.Count; a++)
            if (heldOut[a] < bestMse) (bestMse, bestAlpha) = (heldOut[a], grid[a]);
        // w = V diag(1/(λ + α)) q
        var w = new double[d];
        for (int j = 0; j < d; j++)
            for (int k = 0; k < d; k++) w[j] += v[j * d + k] * q[k] / Math.Max(lambda[k] + bestAlpha, 1e-300);
        return new RidgeRegression { Inputs = maps, Weights = w, Intercept = mean, Alpha = bestAlpha, LeaveOneOutMse = bestMse };
    }

    static void Standardized(ReadOnlySpan<double> x, AffineMap[] maps, Span<double> row)
    {
        for (int j = 0; j < row.Length; j++) row[j] = maps[j].Forward(x[j]);
    }

    /// <summary>The mean squared leave-one-out residual at each α of the grid, in one pass over the rows: row i's
    /// zᵢ = Vᵀx̃ᵢ is made once and serves every α.</summary>
    static double[] HeldOutMse(ReadOnlySpan<double> xs, ReadOnlySpan<double> ys, AffineMap[] maps, double mean, double[] v, double[] q, double[] lambda, IReadOnlyList<double> grid)
    {
        int d = maps.Length, n = ys.Length;
        var inverse = new double[grid.Count * d];
        for (int a = 0; a < grid.Count; a++)
            for (int k = 0; k < d; k++) inverse[a * d + k] = 1 / Math.Max(lambda[k] + grid[a], 1e-300);
        var sums = new double[grid.Count];
        var (row, z) = (new double[d], new double[d]);
        for (int i = 0; i < n; i++)
        {
            Standardized(xs.Slice(i * d, d), maps, row);
            for (int k = 0; k < d; k++)
            {
                double s = 0;
                for (int j = 0; j < d; j++) s += v[j * d + k] * row[j];
                z[k] = s;
            }
            for (int a = 0; a < grid.Count; a++)
            {
                double fit = mean, leverage = 1.0 / n;
                for (int k = 0; k < d; k++)
                {
                    double zik = z[k], inv = inverse[a * d + k];
                    fit += zik * q[k] * inv;
                    leverage += zik * zik * inv;
                }
                double r = (ys[i] - fit) / Math.Max(1 - leverage, 1e-12);
                sums[a] += r * r;
            }
        }
        for (int a = 0; a < sums.Length; a++) sums[a] /= n;
        return sums;
    }

    // x (n, d) row-major in the user's units -> y (n)
    public void Predict(ReadOnlySpan<double> x, Span<double> y)
    {
        int d = InputCount;
        for (int i = 0; i < y.Length; i++)
        {
            double s = Intercept;
            for (int j = 0; j < d; j++) s += Weights[j] * Inputs[j].Forward(x[i * d + j]);
            y[i] = s;
        }
    }

    public double[] Predict(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length / InputCount];
        Predict(x, y);
        return y;
    }
}
