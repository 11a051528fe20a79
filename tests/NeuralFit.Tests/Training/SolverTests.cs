using NeuralFit.Numerics;
using NeuralFit.Sampling;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Tests.Training;

/// <summary>The whole-batch solvers on problems whose answers are known.</summary>
public class SolverTests
{
    /// <summary>Rosenbrock's function, (1 − x)² + 100 (y − x²)², summed over consecutive pairs in n dimensions; minimum 0 at (1, …, 1).</summary>
    sealed class Rosenbrock(int n) : IObjective
    {
        public int ParameterCount => n;
        public int Evaluations { get; private set; }

        public double ValueAndGradient(ReadOnlySpan<double> t, Span<double> g)
        {
            Evaluations++;
            g.Clear();
            double f = 0;
            for (int i = 0; i + 1 < n; i++)
            {
                double a = 1 - t[i], b = t[i + 1] - t[i] * t[i];
                f += a * a + 100 * b * b;
                g[i] += -2 * a - 400 * t[i] * b;
                g[i + 1] += 200 * b;
            }
            return f;
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(10)]
    public void LbfgsReachesRosenbrocksMinimum(int n)
    {
        var f = new Rosenbrock(n);
        var theta = Enumerable.Range(0, n).Select(i => i % 2 == 0 ? -1.2 : 1.0).ToArray(); // the classic start
        var solver = new Lbfgs(f);
        SolverStep step = default;
        for (int i = 0; i < 500 && !step.Converged; i++) step = solver.Iterate(theta);
        Assert.True(step.Converged, $"not converged after {solver.Iterations} iterations");
        Assert.All(theta, v => Assert.Equal(1.0, v, 1e-6));
        Assert.True(step.LossAfter < 1e-14, $"f = {step.LossAfter}");
        Assert.True(solver.Iterations < 200, $"{solver.Iterations} iterations"); // N&W report about 35 for n = 2
    }

    [Fact]
    public void TheLineSearchReturnsAStrongWolfePoint()
    {
        var f = new Rosenbrock(2);
        double[] x = [-1.2, 1], g = new double[2], x1 = new double[2], g1 = new double[2];
        double f0 = f.ValueAndGradient(x, g);
        double[] d = [-g[0], -g[1]];
        var search = new StrongWolfeLineSearch(2);
        var r = search.Search(f, x, d, f0, g, 1e-3, x1, g1);
        Assert.True(r.Wolfe);
        double slope0 = g[0] * d[0] + g[1] * d[1], slope = g1[0] * d[0] + g1[1] * d[1];
        Assert.True(r.Value <= f0 + search.C1 * r.Step * slope0, "sufficient decrease");
        Assert.True(Math.Abs(slope) <= search.C2 * Math.Abs(slope0), "curvature");
        var check = new double[2];
        Assert.Equal(r.Value, f.ValueAndGradient(x1, check), 12);
        Assert.Equal(check, g1);
    }

    /// <summary>r(θ) = Aθ − b: least squares with a known answer, the solution of AᵀA θ = Aᵀb.</summary>
    sealed class LinearResiduals(double[,] a, double[] b, int blockSize) : ILeastSquaresProblem
    {
        public int ParameterCount => a.GetLength(1);
        public int ResidualCount => b.Length;
        public int BlockSize => blockSize;

        public double SumOfSquares(ReadOnlySpan<double> theta)
        {
            double s = 0;
            for (int i = 0; i < b.Length; i++) s += Math.Pow(Row(i, theta), 2);
            return s;
        }

        public void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian)
        {
            for (int i = 0; i < count; i++)
            {
                r[i] = Row(start + i, theta);
                for (int p = 0; p < ParameterCount; p++) jacobian[p * count + i] = a[start + i, p];
            }
        }

        public void Residuals(ReadOnlySpan<double> theta, Span<double> r)
        {
            for (int i = 0; i < b.Length; i++) r[i] = Row(i, theta);
        }

        public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product)
        {
            product.Clear();
            for (int i = 0; i < b.Length; i++)
                for (int p = 0; p < ParameterCount; p++) product[p] += a[i, p] * u[i];
        }

        double Row(int i, ReadOnlySpan<double> theta)
        {
            double s = -b[i];
            for (int p = 0; p < ParameterCount; p++) s += a[i, p] * theta[p];
            return s;
        }
    }

    static (double[,] A, double[] B, double[] Exact) LinearProblem(int m, int p, double noise, ulong seed)
    {
        var rng = new Rng(seed);
        var a = new double[m, p];
        var truth = Enumerable.Range(0, p).Select(i => rng.Uniform(-2, 2)).ToArray();
        var b = new double[m];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < p; j++) a[i, j] = rng.Uniform(-1, 1);
            b[i] = Enumerable.Range(0, p).Sum(j => a[i, j] * truth[j]) + noise * rng.NextGaussian();
        }
        // the exact least-squares solution through the normal equations, solved independently by Gaussian elimination
        var n = new double[p, p + 1];
        for (int r = 0; r < p; r++)
        {
            for (int c = 0; c < p; c++) for (int i = 0; i < m; i++) n[r, c] += a[i, r] * a[i, c];
            for (int i = 0; i < m; i++) n[r, p] += a[i, r] * b[i];
        }
        for (int k = 0; k < p; k++)
            for (int r = k + 1; r < p; r++)
            {
                double f = n[r, k] / n[k, k];
                for (int c = k; c <= p; c++) n[r, c] -= f * n[k, c];
            }
        var exact = new double[p];
        for (int r = p - 1; r >= 0; r--)
        {
            double s = n[r, p];
            for (int c = r + 1; c < p; c++) s -= n[r, c] * exact[c];
            exact[r] = s / n[r, r];
        }
        return (a, b, exact);
    }

    [Fact]
    public void LevenbergMarquardtSolvesALinearLeastSquaresProblemInOneStep()
    {
        var (a, b, exact) = LinearProblem(m: 50, p: 4, noise: 0.3, seed: 7);
        var solver = new LevenbergMarquardt(new LinearResiduals(a, b, blockSize: 16), new LevenbergMarquardtOptions { InitialDamping = 1e-14 });
        var theta = new double[4];
        var step = solver.Iterate(theta);
        for (int i = 0; i < 4; i++) Assert.Equal(exact[i], theta[i], 1e-10);
        Assert.True(step.LossAfter < step.LossBefore);
    }

    [Fact]
    public void BayesianRegularisationEstimatesTheNoiseAndTheWellDeterminedParameters()
    {
        // With E_D = Σr², β = (N − γ)/2E_D estimates 1/(2σ²); plenty of data determine all 3 parameters (γ ≈ 3).
        const double sigma = 0.1;
        var (a, b, exact) = LinearProblem(m: 400, p: 3, noise: sigma, seed: 11);
        var solver = new LevenbergMarquardt(new LinearResiduals(a, b, blockSize: 64), new LevenbergMarquardtOptions { Bayesian = true });
        var theta = new double[] { 0.1, 0.1, 0.1 };
        for (int i = 0; i < 30; i++) solver.Iterate(theta);
        var (alpha, beta, gamma) = solver.Evidence;
        Assert.InRange(1 / (2 * beta), 0.8 * sigma * sigma, 1.2 * sigma * sigma);
        Assert.InRange(gamma, 2.9, 3.0);
        Assert.True(alpha > 0);
        for (int i = 0; i < 3; i++) Assert.Equal(exact[i], theta[i], 1e-3); // the prior hardly shifts well-determined parameters
    }

    [Fact]
    public void CholeskySolvesAndGivesTheTraceOfTheInverse()
    {
        // A = B Bᵀ + I is positive definite
        var rng = new Rng(3);
        const int n = 7;
        var bm = Enumerable.Range(0, n * n).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                a[i * n + j] = Enumerable.Range(0, n).Sum(k => bm[i * n + k] * bm[j * n + k]) + (i == j ? 1 : 0);
        var x = Enumerable.Range(0, n).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var rhs = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, n).Sum(j => a[i * n + j] * x[j])).ToArray();
        var l = (double[])a.Clone();
        Assert.True(Cholesky.Factor(l, n));
        var solved = new double[n];
        Cholesky.Solve(l, n, rhs, solved);
        for (int i = 0; i < n; i++) Assert.Equal(x[i], solved[i], 1e-10);

        double trace = 0; // Σ (A⁻¹)ᵢᵢ, from solving A z = eᵢ
        for (int i = 0; i < n; i++)
        {
            var e = new double[n];
            e[i] = 1;
            Cholesky.Solve(l, n, e, e);
            trace += e[i];
        }
        Assert.Equal(trace, Cholesky.TraceOfInverse(l, n), 1e-10);
        Assert.False(Cholesky.Factor(new double[] { 1, 2, 2, 1 }, 2), "an indefinite matrix is refused");
    }
}

public class GramKernelTests
{
    [Fact]
    public void TheBlockedCholeskyAgreesWithTheUnblockedOne()
    {
        var rng = new Rng(6);
        foreach (int n in new[] { 1, 5, 63, 64, 65, 95, 96, 97, 150, 193, 250, 400, 621 }) // 400 and 621: trailing updates split over the cores
        {
            // A = B Bᵀ + I: positive definite
            var b = Enumerable.Range(0, n * n).Select(_ => rng.Uniform(-1, 1)).ToArray();
            var a = new double[n * n];
            GramKernel.Naive(b, n, n, a);
            for (int i = 0; i < n; i++)
            {
                a[i * n + i] += 1;
                for (int j = i + 1; j < n; j++) a[i * n + j] = a[j * n + i];
            }
            var blocked = (double[])a.Clone();
            var reference = (double[])a.Clone();
            Assert.True(Cholesky.Factor(blocked, n));
            Assert.True(Cholesky.FactorUnblocked(reference, n));
            for (int i = 0; i < n; i++)
                for (int j = 0; j <= i; j++)
                    Assert.True(Math.Abs(blocked[i * n + j] - reference[i * n + j]) <= 1e-10 * Math.Max(1, Math.Abs(reference[i * n + j])), $"n {n}: L[{i},{j}] {blocked[i * n + j]} vs {reference[i * n + j]}");
        }
        var indefinite = new double[200 * 200];
        for (int i = 0; i < 200; i++) indefinite[i * 200 + i] = i == 150 ? -1 : 1;
        Assert.False(Cholesky.Factor(indefinite, 200));
    }

    /// <summary>
    /// The run-skipping product against the naive one: rows with a run of non-zeros (as a ReLU Jacobian's), rows
    /// zero throughout, dense rows and rows with zeros scattered inside their run, over every tile remainder and
    /// vector tail; and one product large enough to be split over the cores.
    /// </summary>
    [Fact]
    public void TheRunSkippingProductAgreesWithTheNaiveOne()
    {
        var rng = new Rng(8);
        foreach (var (p, n) in new[] { (1, 1), (3, 7), (5, 19), (13, 33), (40, 211), (301, 500) })
        {
            var j = new double[p * n];
            for (int r = 0; r < p; r++)
            {
                int kind = r % 4, start = (int)rng.Uniform(0, n), end = (int)rng.Uniform(start, n + 1);
                for (int s = 0; s < n; s++)
                    j[r * n + s] = kind switch
                    {
                        0 => s >= start && s < end ? rng.Uniform(-1, 1) : 0, // one run
                        1 => 0,                                               // zero throughout
                        2 => rng.Uniform(-1, 1),                              // dense
                        _ => s >= start && s < end && rng.Uniform(0, 1) < 0.5 ? rng.Uniform(-1, 1) : 0, // gaps inside the run
                    };
            }
            var fast = Enumerable.Range(0, p * p).Select(_ => rng.Uniform(-1, 1)).ToArray();
            var naive = (double[])fast.Clone();
            RunGramKernel.AddLower(j, p, n, fast);
            GramKernel.Naive(j, p, n, naive);
            for (int a = 0; a < p; a++)
                for (int b = 0; b <= a; b++)
                    Assert.True(Math.Abs(fast[a * p + b] - naive[a * p + b]) <= 1e-12 * Math.Max(1, Math.Abs(naive[a * p + b])),
                        $"p {p}, n {n}, entry {a},{b}: {fast[a * p + b]} vs {naive[a * p + b]}");
            for (int a = 0; a < p; a++)
                for (int b = a + 1; b < p; b++)
                    Assert.Equal(naive[a * p + b], fast[a * p + b]); // the strict upper triangle is not touched
        }
    }

    /// <summary>Every row count 1..13 (all tile remainders) and sample counts over every vector tail.</summary>
    [Fact]
    public void TheTiledKernelAgreesWithTheNaiveOneForEveryShape()
    {
        var rng = new Rng(5);
        for (int p = 1; p <= 13; p++)
            for (int n = 0; n <= 19; n++)
            {
                var j = Enumerable.Range(0, p * n).Select(_ => rng.Uniform(-1, 1)).ToArray();
                var fast = Enumerable.Range(0, p * p).Select(_ => rng.Uniform(-1, 1)).ToArray();
                var naive = (double[])fast.Clone();
                GramKernel.AddLower(j, p, n, fast);
                GramKernel.Naive(j, p, n, naive);
                for (int i = 0; i < p * p; i++)
                    Assert.True(Math.Abs(fast[i] - naive[i]) <= 1e-12 * Math.Max(1, Math.Abs(naive[i])), $"p {p}, n {n}, entry {i / p},{i % p}: {fast[i]} vs {naive[i]}");
            }
    }
}
