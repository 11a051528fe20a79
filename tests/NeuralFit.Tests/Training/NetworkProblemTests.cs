using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Tests.Training;

/// <summary>The network as the whole-batch solvers see it, checked against central finite differences in float64.</summary>
public class NetworkProblemTests
{
    public static TheoryData<Activation> Activations() => new(Enum.GetValues<Activation>().Where(a => a != Activation.Relu && a != Activation.LeakyRelu));

    static (NetworkData Data, double[] Theta) Setup(NetworkShape shape, int samples, int blockSize, ulong seed)
    {
        var rng = new Rng(seed);
        var x = Enumerable.Range(0, samples * shape.Inputs).Select(_ => rng.Uniform(-2, 3)).ToArray();
        var y = Enumerable.Range(0, samples).Select(_ => rng.Uniform(-1, 4)).ToArray();
        var set = new SampleSet(x, y, shape.Inputs);
        var normalization = Normalization.Fit(NormalizeMode.Both, x, shape.Inputs, y);
        var theta = Enumerable.Range(0, shape.ParameterCount).Select(_ => 0.7 * rng.NextGaussian()).ToArray();
        return (new NetworkData(shape, set, normalization, blockSize), theta);
    }

    // Smooth activations only: a finite difference across a ReLU kink is not the derivative.
    [Theory, MemberData(nameof(Activations))]
    public void TheOutputJacobianMatchesFiniteDifferences(Activation act)
    {
        var (data, theta) = Setup(new NetworkShape(2, [5, 4], 1, act), samples: 11, blockSize: 4, seed: 21);
        var problem = new NetworkLeastSquares(data);
        int p = problem.ParameterCount;
        const double h = 1e-6;
        double worst = 0;
        string where = "";
        for (int start = 0; start < problem.ResidualCount; start += problem.BlockSize)
        {
            int n = Math.Min(problem.BlockSize, problem.ResidualCount - start);
            var r = new double[n];
            var jacobian = new double[p * n];
            problem.ResidualsAndJacobian(theta, start, n, r, jacobian);
            for (int k = 0; k < p; k++)
            {
                var up = Residuals(problem, theta, k, +h, start, n);
                var down = Residuals(problem, theta, k, -h, start, n);
                for (int i = 0; i < n; i++)
                {
                    double numeric = (up[i] - down[i]) / (2 * h), diff = Math.Abs(numeric - jacobian[k * n + i]) / Math.Max(1e-3, Math.Abs(numeric));
                    if (diff > worst) (worst, where) = (diff, $"∂r{start + i}/∂θ{k}: analytic {jacobian[k * n + i]}, numeric {numeric}");
                }
            }
        }
        Assert.True(worst < 1e-6, $"{act}: {where} (relative difference {worst:G3})");
    }

    static double[] Residuals(NetworkLeastSquares problem, double[] theta, int k, double h, int start, int n)
    {
        var moved = (double[])theta.Clone();
        moved[k] += h;
        var r = new double[n];
        problem.ResidualsAndJacobian(moved, start, n, r, new double[problem.ParameterCount * n]);
        return r;
    }

    [Fact]
    public void TheObjectiveIsTheMeanSquaredResidualAndItsGradientMatchesFiniteDifferences()
    {
        var (data, theta) = Setup(new NetworkShape(3, [6, 3], 1, Activation.Tanh), samples: 13, blockSize: 5, seed: 22);
        const double decay = 0.01;
        var objective = new NetworkObjective(data, decay);
        var gradient = new double[theta.Length];
        double value = objective.ValueAndGradient(theta, gradient);
        double sse = new NetworkLeastSquares(data).SumOfSquares(theta);
        Assert.Equal(sse / 13 + 0.5 * decay * theta.Sum(t => t * t), value, 12);
        const double h = 1e-6;
        var scratch = new double[theta.Length];
        for (int k = 0; k < theta.Length; k++)
        {
            var up = (double[])theta.Clone();
            var down = (double[])theta.Clone();
            up[k] += h;
            down[k] -= h;
            double numeric = (objective.ValueAndGradient(up, scratch) - objective.ValueAndGradient(down, scratch)) / (2 * h);
            Assert.True(Math.Abs(numeric - gradient[k]) <= 1e-6 * Math.Max(1e-3, Math.Abs(numeric)), $"θ{k}: analytic {gradient[k]}, numeric {numeric}");
        }
    }

    [Fact]
    public void ReluJacobianIsExactAwayFromTheKinks()
    {
        // 1-1-1 ReLU, w1 = 2, b1 = −1, w2 = 3, b2 = 0.5 at x = 1: z1 = 1 > 0, so ∂out/∂(w1, b1, w2, b2) = (3x, 3, a1, 1) = (3, 3, 1, 1).
        var shape = new NetworkShape(1, [1], 1, Activation.Relu);
        var set = new SampleSet(new[] { 1.0 }, new[] { 0.0 }, 1);
        var data = new NetworkData(shape, set, Normalization.None(1), 1);
        var jacobian = new double[4];
        new NetworkLeastSquares(data).ResidualsAndJacobian([2, -1, 3, 0.5], 0, 1, new double[1], jacobian);
        Assert.Equal([3.0, 3.0, 1.0, 1.0], jacobian);
    }
}
