using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// Dense Cholesky factorisation A = L Lᵀ of a symmetric positive definite n×n matrix, row-major, and the solves
/// that use it (Golub and Van Loan, Matrix Computations, 4th ed., Algorithm 4.2.1, in its row-oriented
/// "dot product" form, so the inner loops run along contiguous rows).
/// </summary>
public static class Cholesky
{
    /// <summary>
    /// Overwrites the lower triangle of <paramref name="a"/> (n×n) with L; the strict upper triangle is left as it
    /// was. Returns false when A is not numerically positive definite (a pivot ≤ 0 or not finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public static bool Factor(Span<double> a, int n)
    {
        for (int i = 0; i < n; i++)
        {
            var rowI = a.Slice(i * n, n);
            for (int j = 0; j <= i; j++)
            {
                var rowJ = a.Slice(j * n, n);
                double sum = rowI[j] - Dot(rowI[..j], rowJ[..j]);
                if (i == j)
                {
                    if (!(sum > 0) || !double.IsFinite(sum)) return false;
                    rowI[i] = Math.Sqrt(sum);
                }
                else rowI[j] = sum / rowJ[j];
            }
        }
        return true;
    }

    // l (n×n, lower triangle = L), b (n) -> x (n) with L Lᵀ x = b; x may be b
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public static void Solve(ReadOnlySpan<double> l, int n, ReadOnlySpan<double> b, Span<double> x)
    {
        if (!b.Overlaps(x)) b.CopyTo(x);
        for (int i = 0; i < n; i++) // L y = b
            x[i] = (x[i] - Dot(l.Slice(i * n, i), x[..i])) / l[i * n + i];
        for (int i = n - 1; i >= 0; i--) // Lᵀ x = y
        {
            double sum = x[i];
            for (int k = i + 1; k < n; k++) sum -= l[k * n + i] * x[k];
            x[i] = sum / l[i * n + i];
        }
    }

    /// <summary>
    /// trace(A⁻¹) from A's factor: A⁻¹ = L⁻ᵀ L⁻¹, so the trace is the squared Frobenius norm of L⁻¹. Solves
    /// L z = eⱼ column by column (z is zero above j); about n³/6 multiply-adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public static double TraceOfInverse(ReadOnlySpan<double> l, int n)
    {
        var z = new double[n];
        double trace = 0;
        for (int j = 0; j < n; j++)
        {
            Array.Clear(z);
            z[j] = 1 / l[j * n + j];
            trace += z[j] * z[j];
            for (int i = j + 1; i < n; i++)
            {
                double v = -Dot(l.Slice(i * n + j, i - j), z.AsSpan(j, i - j)) / l[i * n + i];
                z[i] = v;
                trace += v * v;
            }
        }
        return trace;
    }

    /// <summary>TensorPrimitives.Dot for long rows; a plain four-way loop for short ones, where the call costs more than the work.</summary>
    static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length >= 64) return TensorPrimitives.Dot(a, b);
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 4 <= a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++) s0 += a[i] * b[i];
        return s0 + s1 + (s2 + s3);
    }
}
