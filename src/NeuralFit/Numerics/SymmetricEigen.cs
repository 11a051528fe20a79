namespace NeuralFit.Numerics;

/// <summary>
/// Eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi method (Golub and Van Loan, Matrix
/// Computations, 4th ed., §8.5.2–8.5.3): sweeps of plane rotations, each zeroing one off-diagonal pair, until the
/// off-diagonal part is negligible. Slow for large n (about 10 n³ per solve) but simple, accurate to working precision
/// for every eigenvalue, and ample for the few columns of a data file.
/// </summary>
internal static class SymmetricEigen
{
    const int MaxSweeps = 100;

    /// <summary>A (n×n, row-major, symmetric; not changed) -> eigenvalues (n) and eigenvectors as the columns of V (n×n, row-major).</summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> matrix, int n)
    {
        var a = matrix.ToArray();
        var v = new double[n * n];
        for (int i = 0; i < n; i++) v[i * n + i] = 1;
        double scale = 0;
        foreach (double x in a) scale += x * x;
        for (int sweep = 0; sweep < MaxSweeps; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                    if (a[p * n + q] != 0) Rotate(a, v, n, p, q);
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i * n + i];
        return (values, v);
    }

    /// <summary>The rotation J(p, q, θ) that zeroes a[p, q]: A ← JᵀAJ, V ← VJ (Golub and Van Loan, Algorithm 8.5.1).</summary>
    static void Rotate(double[] a, double[] v, int n, int p, int q)
    {
        double apq = a[p * n + q], tau = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        double t = Math.Sign(tau) == 0 ? 1 : Math.Sign(tau) / (Math.Abs(tau) + Math.Sqrt(1 + tau * tau));
        double c = 1 / Math.Sqrt(1 + t * t), s = t * c;
        for (int k = 0; k < n; k++)
        {
            double akp = a[k * n + p], akq = a[k * n + q];
            a[k * n + p] = c * akp - s * akq;
            a[k * n + q] = s * akp + c * akq;
        }
        for (int k = 0; k < n; k++)
        {
            double apk = a[p * n + k], aqk = a[q * n + k];
            a[p * n + k] = c * apk - s * aqk;
            a[q * n + k] = s * apk + c * aqk;
        }
        for (int k = 0; k < n; k++)
        {
            double vkp = v[k * n + p], vkq = v[k * n + q];
            v[k * n + p] = c * vkp - s * vkq;
            v[k * n + q] = s * vkp + c * vkq;
        }
    }
}
