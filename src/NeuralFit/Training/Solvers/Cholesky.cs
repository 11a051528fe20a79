using System.Runtime.CompilerServices;
using System.Numerics.Tensors;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// Dense Cholesky factorisation A = L Lᵀ of a symmetric positive definite n×n matrix, row-major, and the solves
/// that use it (Golub and Van Loan, Matrix Computations, 4th ed.: Algorithm 4.2.1 in its row-oriented "dot
/// product" form, so the inner loops run along contiguous rows, and for large matrices the blocked right-looking
/// form of §4.2.9, whose trailing updates, most of the work, are Gram products by <see cref="GramKernel"/>).
/// </summary>
public static class Cholesky
{
    /// <summary>Columns per block of the blocked form; matrices up to this size are factored unblocked.</summary>
    public const int BlockSize = 96;

    /// <summary>
    /// Overwrites the lower triangle of <paramref name="a"/> (n×n) with L; the strict upper triangle is left as it
    /// was. Returns false when A is not numerically positive definite (a pivot ≤ 0 or not finite).
    /// </summary>
    public static bool Factor(double[] a, int n)
    {
        if (n <= BlockSize) return FactorColumns(a, n, 0, n, n);
        double[] panel = System.Buffers.ArrayPool<double>.Shared.Rent(n * BlockSize);
        double[] update = System.Buffers.ArrayPool<double>.Shared.Rent(n * n);
        try
        {
            for (int k = 0; k < n; k += BlockSize)
            {
                int b = Math.Min(BlockSize, n - k), rest = n - k - b;
                // 1–2. columns k..k+b of L, for every row from k down, given the updates of earlier blocks
                if (!FactorColumns(a, n, k, b, n)) return false;
                if (rest == 0) break;
                // 3. trailing update: A[i, j] −= Σ_c L[i, c] L[j, c] over this block's columns, for i ≥ j ≥ k + b
                for (int i = 0; i < rest; i++) a.AsSpan((k + b + i) * n + k, b).CopyTo(panel.AsSpan(i * b, b));
                Array.Clear(update, 0, rest * rest);
                GramKernel.AddLower(panel, rest, b, update); // both rented arrays may be longer than needed
                for (int i = 0; i < rest; i++)
                    TensorPrimitives.Subtract(a.AsSpan((k + b + i) * n + k + b, i + 1), update.AsSpan(i * rest, i + 1), a.AsSpan((k + b + i) * n + k + b, i + 1));
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(panel);
            System.Buffers.ArrayPool<double>.Shared.Return(update);
        }
    }

    /// <summary>Algorithm 4.2.1 on every row, unblocked: the reference the blocked form is tested against.</summary>
    public static bool FactorUnblocked(Span<double> a, int n) => FactorColumns(a, n, 0, n, n);

    /// <summary>
    /// Columns [k, k + b) of L for rows k..rows−1, assuming the updates of columns before k are already applied:
    /// L[i, j] = (A[i, j] − Σ_{c ∈ [k, j)} L[i, c] L[j, c]) / L[j, j], and on the diagonal the square root.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static bool FactorColumns(Span<double> a, int n, int k, int b, int rows)
    {
        for (int i = k; i < rows; i++)
        {
            var rowI = a.Slice(i * n, n);
            int last = Math.Min(i, k + b - 1);
            for (int j = k; j <= last; j++)
            {
                var rowJ = a.Slice(j * n, n);
                double sum = rowI[j] - Dot(rowI[k..j], rowJ[k..j]);
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
