using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Tests.Training;

/// <summary>The minimax objective: Lawson's reweighted least squares against known answers, and on a network.</summary>
public class MinimaxTests
{
    /// <summary>A line a + b·x fitted to x² at n points of [0, 1]: residuals rᵢ = a + b·xᵢ − xᵢ².</summary>
    sealed class LineToSquare(int n) : ILeastSquaresProblem
    {
        readonly double[] _x = Enumerable.Range(0, n).Select(i => (double)i / (n - 1)).ToArray();
        public int ParameterCount => 2;
        public int ResidualCount => n;
        public int BlockSize => n;

        public double SumOfSquares(ReadOnlySpan<double> theta)
        {
            double s = 0;
            foreach (double x in _x) s += Math.Pow(theta[0] + theta[1] * x - x * x, 2);
            return s;
        }

        public void Residuals(ReadOnlySpan<double> theta, Span<double> r)
        {
            for (int i = 0; i < n; i++) r[i] = theta[0] + theta[1] * _x[i] - _x[i] * _x[i];
        }

        public void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian)
        {
            for (int i = 0; i < count; i++)
            {
                double x = _x[start + i];
                r[i] = theta[0] + theta[1] * x - x * x;
                jacobian[i] = 1;         // ∂r/∂a, parameter-major
                jacobian[count + i] = x; // ∂r/∂b
            }
        }

        public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product)
        {
            product.Clear();
            for (int i = 0; i < n; i++) { product[0] += u[i]; product[1] += u[i] * _x[i]; }
        }
    }

    /// <summary>The best line to x² on [0, 1] in the worst case is x − 1/8 (Chebyshev's equioscillation at 0, ½, 1):
    /// error 1/8, where least squares (x − 1/6) errs by 1/6.</summary>
    [Fact]
    public void LawsonFindsChebyshevsBestLine()
    {
        var problem = new LineToSquare(101);
        double[] theta = [0, 0];
        var lm = new LevenbergMarquardt(problem);
        for (int i = 0; i < 50 && !lm.Iterate(theta).Converged; i++) { }
        double leastSquares = Largest(problem, theta);
        Assert.Equal(1.0 / 6, leastSquares, 2e-2);

        var minimax = new LawsonMinimax(problem);
        for (int i = 0; i < 2000 && !minimax.Iterate(theta).Converged; i++) { }
        Assert.Equal(0.125, Largest(problem, theta), 2e-3);
        Assert.Equal(1.0, theta[1], 2e-2);
        Assert.Equal(-0.125, theta[0], 2e-3);
    }

    [Fact]
    public void WeightsScaleTheResidualsAndTheJacobian()
    {
        var weighted = new WeightedLeastSquares(new LineToSquare(5));
        weighted.SetWeights([4, 1, 0, 1, 9]);
        double[] theta = [0.5, -1];
        var r = new double[5];
        var j = new double[10];
        weighted.ResidualsAndJacobian(theta, 0, 5, r, j);
        double[] x = [0, 0.25, 0.5, 0.75, 1];
        double[] s = [2, 1, 0, 1, 3];
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(s[i] * (0.5 - x[i] - x[i] * x[i]), r[i], 1e-15);
            Assert.Equal(s[i], j[i], 1e-15);
            Assert.Equal(s[i] * x[i], j[5 + i], 1e-15);
        }
        Assert.Equal(r.Sum(v => v * v), weighted.SumOfSquares(theta), 1e-14);
    }

    /// <summary>The same small network, points and seed: minimax leaves a smaller largest error than least squares.</summary>
    [Fact]
    public void MinimaxLowersTheLargestErrorOfAFixedNetwork()
    {
        RunConfig Run(string objective) => new()
        {
            Target = "sin(3*x)+0.3*x^2", Domain = [new Interval(-1, 2)], Layers = [4], Activation = NeuralFit.Networks.Activation.Tanh,
            Optimizer = OptimizerKind.Lm, Precision = Precision.Float64, Normalize = NormalizeMode.Both, Sampler = SamplerKind.Grid,
            Samples = 200, Steps = 300, Init = new NeuralFit.Networks.InitSpec(NeuralFit.Networks.InitKind.NguyenWidrow),
            Objective = objective == "minimax" ? ObjectiveKind.Minimax : ObjectiveKind.Mse,
        };
        var leastSquares = FitRunner.Run(Run("mse"));
        var minimax = FitRunner.Run(Run("minimax"));
        Assert.True(minimax.Evaluation.MaxAbsError < 0.8 * leastSquares.Evaluation.MaxAbsError,
            $"minimax {minimax.Evaluation.MaxAbsError:G3}, least squares {leastSquares.Evaluation.MaxAbsError:G3}");
        Assert.Contains("max |error|", minimax.Verdict.Achieved[..12]);
    }

    [Fact]
    public void MinimaxIsRefusedWhereItCannotWork()
    {
        var c = FitOptions.ForTarget("x", new Interval(0, 1)) with { Objective = ObjectiveKind.Minimax, Optimizer = OptimizerKind.Adam };
        var e = Assert.Throws<InputError>(() => FitRunner.Run(c));
        Assert.Contains("FitOptions.Optimizer lm", e.Message);
    }

    static double Largest(ILeastSquaresProblem p, double[] theta)
    {
        var r = new double[p.ResidualCount];
        p.Residuals(theta, r);
        return r.Max(Math.Abs);
    }
}
