using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Numerics;

/// <summary>
/// Dense Cholesky factorisation A = L Lᵀ of a symmetric positive definite n×n matrix, row-major, and the solves
/// that use it (Golub and Van Loan, Matrix Computations, 4th ed.: Algorithm 4.2.1 in its row-oriented "dot
/// product" form, so the inner loops run along contiguous rows, and for large matrices the blocked right-looking
/// form of §4.2.9). In the blocked form each step factors a diagonal block, solves the panel below it against that
/// block column by column (each column an AXPY over contiguous memory, the panel held transposed), and subtracts
/// the panel's Gram product from the trailing matrix with <see cref="TrailingUpdate"/>, which does most of the work.
/// </summary>
internal static class Cholesky
{
    /// <summary>Columns per block of the blocked form; matrices up to this size are factored unblocked.</summary>
    public const int BlockSize = 64;

    /// <summary>
    /// Overwrites the lower triangle of <paramref name="a"/> (n×n) with L; the strict upper triangle is left as it
    /// was. Returns false when A is not numerically positive definite (a pivot ≤ 0 or not finite).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public static bool Factor(double[] a, int n)
    {
        if (n <= BlockSize) return FactorColumns(a, n, 0, n, n);
        double[] rows = System.Buffers.ArrayPool<double>.Shared.Rent(n * BlockSize);
        double[] columns = System.Buffers.ArrayPool<double>.Shared.Rent(n * BlockSize);
        double[] packed = System.Buffers.ArrayPool<double>.Shared.Rent(TrailingUpdate.PackedLength(n, BlockSize));
        try
        {
            for (int k = 0; k < n; k += BlockSize)
            {
                int b = Math.Min(BlockSize, n - k), rest = n - k - b;
                // 1. the diagonal block L[k..k+b, k..k+b], given the updates of earlier blocks
                if (!FactorColumns(a, n, k, b, k + b)) return false;
                if (rest == 0) break;
                // 2. the panel below it: L21 = A21 L11⁻ᵀ, solved on its transpose (b × rest)
                for (int i = 0; i < rest; i++)
                    for (int c = 0; c < b; c++) columns[c * rest + i] = a[(k + b + i) * n + k + c];
                SolvePanel(a, n, k, b, columns, rest);
                for (int i = 0; i < rest; i++)
                    for (int c = 0; c < b; c++) a[(k + b + i) * n + k + c] = rows[i * b + c] = columns[c * rest + i];
                // 3. the trailing update: A22 −= L21 L21ᵀ (lower triangle)
                TrailingUpdate.Apply(a, n, k + b, rows, rest, b, packed);
            }
            return true;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(rows);
            System.Buffers.ArrayPool<double>.Shared.Return(columns);
            System.Buffers.ArrayPool<double>.Shared.Return(packed);
        }
    }

    /// <summary>
    /// Column c of L21ᵀ (row c of <paramref name="columns"/>, length <paramref name="rest"/>):
    /// (A21ᵀ[c] − Σ_{d &lt; c} L[k+c, k+d] L21ᵀ[d]) / L[k+c, k+c], four earlier columns per pass over memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void SolvePanel(double[] a, int n, int k, int b, double[] columns, int rest)
    {
        for (int c = 0; c < b; c++)
        {
            var target = columns.AsSpan(c * rest, rest);
            int rowC = (k + c) * n + k, d = 0;
            for (; d + 4 <= c; d += 4)
                SubtractFour(target, columns.AsSpan(d * rest), rest, a[rowC + d], a[rowC + d + 1], a[rowC + d + 2], a[rowC + d + 3]);
            for (; d < c; d++) TensorPrimitives.MultiplyAdd(columns.AsSpan(d * rest, rest), -a[rowC + d], target, target);
            TensorPrimitives.Multiply(target, 1 / a[rowC + c], target);
        }
    }

    // target −= l0·s[0] + l1·s[1] + l2·s[2] + l3·s[3], the four sources rows of `sources` `stride` apart
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    static void SubtractFour(Span<double> target, ReadOnlySpan<double> sources, int stride, double l0, double l1, double l2, double l3)
    {
        int length = target.Length;
        ref double t = ref MemoryMarshal.GetReference(target);
        ref double s0 = ref MemoryMarshal.GetReference(sources);
        ref double s1 = ref Unsafe.Add(ref s0, stride);
        ref double s2 = ref Unsafe.Add(ref s1, stride);
        ref double s3 = ref Unsafe.Add(ref s2, stride);
        Vector<double> v0 = new(l0), v1 = new(l1), v2 = new(l2), v3 = new(l3);
        int w = Vector<double>.Count, i = 0;
        for (; i + w <= length; i += w)
        {
            var sum = Vector.FusedMultiplyAdd(v0, Vector.LoadUnsafe(ref s0, (nuint)i), v1 * Vector.LoadUnsafe(ref s1, (nuint)i));
            sum = Vector.FusedMultiplyAdd(v2, Vector.LoadUnsafe(ref s2, (nuint)i), sum);
            sum = Vector.FusedMultiplyAdd(v3, Vector.LoadUnsafe(ref s3, (nuint)i), sum);
            (Vector.LoadUnsafe(ref t, (nuint)i) - sum).StoreUnsafe(ref t, (nuint)i);
        }
        for (; i < length; i++)
            Unsafe.Add(ref t, i) -= l0 * Unsafe.Add(ref s0, i) + l1 * Unsafe.Add(ref s1, i) + l2 * Unsafe.Add(ref s2, i) + l3 * Unsafe.Add(ref s3, i);
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
        for (int i = n - 1; i >= 0; i--) // Lᵀ x = y, by columns of Lᵀ (rows of L), so the updates run along memory
        {
            x[i] /= l[i * n + i];
            TensorPrimitives.MultiplyAdd(l.Slice(i * n, i), -x[i], x[..i], x[..i]);
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
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
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
