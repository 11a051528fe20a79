using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

/// <summary>The best affine fit y ≈ a + b·x by least squares: what an effectively linear network can reach at best.</summary>
internal static class LeastSquares
{
    /// <summary>The line fitted on the training data, measured on the evaluation set: where a linear network trained
    /// on that data ends up, and its error where the fit is judged.</summary>
    public static double AffineMse(SampleSet training, SampleSet evaluation) => Mse(Fit(training), evaluation);

    /// <summary>Coefficients [a, b1..bd] of the least-squares affine fit to the finite samples.</summary>
    public static double[] Fit(SampleSet set)
    {
        int d = set.Inputs, m = d + 1;
        var ata = new double[m, m];
        var aty = new double[m];
        var row = new double[m];
        int n = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (!double.IsFinite(set.Y.Span[i])) continue;
            Row(set, i, row);
            for (int r = 0; r < m; r++)
            {
                aty[r] += row[r] * set.Y.Span[i];
                for (int c = 0; c < m; c++) ata[r, c] += row[r] * row[c];
            }
            n++;
        }
        return n == 0 ? new double[m] : Solve(ata, aty);
    }

    public static double Mse(double[] coef, SampleSet set)
    {
        int m = set.Inputs + 1, n = 0;
        var row = new double[m];
        double sse = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (!double.IsFinite(set.Y.Span[i])) continue;
            Row(set, i, row);
            double fit = 0;
            for (int r = 0; r < m; r++) fit += coef[r] * row[r];
            sse += (fit - set.Y.Span[i]) * (fit - set.Y.Span[i]);
            n++;
        }
        return n == 0 ? double.NaN : sse / n;
    }

    /// <summary>The rows with each target replaced by its residual from the affine fit <paramref name="coef"/>.</summary>
    public static SampleSet Residuals(double[] coef, SampleSet set)
    {
        int m = set.Inputs + 1;
        var row = new double[m];
        var residuals = new double[set.Count];
        for (int i = 0; i < set.Count; i++)
        {
            Row(set, i, row);
            double fit = 0;
            for (int r = 0; r < m; r++) fit += coef[r] * row[r];
            residuals[i] = set.Y.Span[i] - fit;
        }
        return new SampleSet(set.X, residuals, set.Inputs);
    }

    static void Row(SampleSet set, int i, double[] row)
    {
        row[0] = 1;
        for (int k = 0; k < set.Inputs; k++) row[k + 1] = set.X.Span[i * set.Inputs + k];
    }

    /// <summary>Gaussian elimination with partial pivoting; a singular direction gets coefficient 0.</summary>
    static double[] Solve(double[,] a, double[] b)
    {
        int m = b.Length;
        var x = new double[m];
        var rows = Enumerable.Range(0, m).Select(r => Enumerable.Range(0, m).Select(c => a[r, c]).Append(b[r]).ToArray()).ToArray();
        for (int col = 0; col < m; col++)
        {
            int pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(rows[r][col]));
            (rows[col], rows[pivot]) = (rows[pivot], rows[col]);
            if (Math.Abs(rows[col][col]) < 1e-300) continue;
            for (int r = 0; r < m; r++)
            {
                if (r == col) continue;
                double f = rows[r][col] / rows[col][col];
                for (int c = col; c <= m; c++) rows[r][c] -= f * rows[col][c];
            }
        }
        for (int r = 0; r < m; r++) x[r] = Math.Abs(rows[r][r]) < 1e-300 ? 0 : rows[r][m] / rows[r][r];
        return x;
    }
}
