using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Tests.Networks;
using NeuralFit.Training;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Tests.Training;

/// <summary>Whole-batch solvers' passes split into lanes: the same bits on one core or two, nothing allocated per iteration.</summary>
public class SolverParallelTests
{
    /// <summary>2000 rows of a smooth 3-input target, cut into blocks of <paramref name="blockSize"/>.</summary>
    static (NetworkData Data, double[] Theta) Setup(int[] hidden, int blockSize, int threads)
    {
        var shape = new NetworkShape(3, hidden, 1, Activation.Tanh);
        var rng = new Rng(5);
        const int rows = 2000;
        var x = Enumerable.Range(0, rows * 3).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => Math.Sin(2 * x[3 * i]) * x[3 * i + 1] + x[3 * i + 2] * x[3 * i + 2]).ToArray();
        var normalization = Normalization.Fit(NormalizeMode.Both, x, 3, y);
        var data = new NetworkData(shape, new SampleSet(x, y, 3), normalization, blockSize) { Threads = threads };
        var theta = new double[shape.ParameterCount];
        NguyenWidrow.Fill(shape, theta, InitSpec.Zeros, rng);
        return (data, theta);
    }

    static IWholeBatchSolver Solver(OptimizerKind kind, NetworkData data) =>
        kind == OptimizerKind.Lm ? new LevenbergMarquardt(new NetworkLeastSquares(data)) : new Lbfgs(new NetworkObjective(data));

    // lm's 3-16-8-1 network (P = 209) on blocks of BlockSizeFor(209) = 627 rows: each block's JᵀJ (1.4e7 multiply-adds)
    // is past the threshold that splits it into bands.
    public static TheoryData<OptimizerKind, int[], int> Cases() => new()
    {
        { OptimizerKind.Lbfgs, [12], 128 },
        { OptimizerKind.Lm, [16, 8], NetworkLeastSquares.BlockSizeFor(209) },
    };

    [Theory, MemberData(nameof(Cases))]
    public void OneCoreAndTwoCoresGiveBitIdenticalIterations(OptimizerKind kind, int[] hidden, int blockSize)
    {
        var (one, theta1) = Setup(hidden, blockSize, threads: 1);
        var (two, theta2) = Setup(hidden, blockSize, threads: 2);
        Assert.True(one.LaneCount > 1, $"{one.LaneCount} lane");
        var (solver1, solver2) = (Solver(kind, one), Solver(kind, two));
        double first = double.NaN, last = double.NaN;
        for (int i = 0; i < 4; i++)
        {
            var (step1, step2) = (solver1.Iterate(theta1), solver2.Iterate(theta2));
            Assert.Equal(step1.LossAfter, step2.LossAfter);
            Assert.Equal(theta1, theta2);
            (first, last) = (i == 0 ? step1.LossBefore : first, step1.LossAfter);
        }
        Assert.True(last < 0.5 * first, $"the solver did not descend: {first} to {last}");
    }

    [Fact]
    public void LanesAddUpToTheSameGradientAsOneBlockAtATime()
    {
        var (data, theta) = Setup([12], 128, threads: 2);
        var lanes = new double[theta.Length];
        double sse = data.SumOfSquaresAndGradient(theta, lanes, 1.0);
        var single = new double[theta.Length];
        double plain = 0;
        for (int b = 0; b < data.BlockCount; b++)
        {
            int n = data.Forward(theta, b, out var ws, out var targets);
            plain += MeanSquaredError.SumAndGradient<double>(ws.Output.AsSpan(0, n), targets, ws.Delta[^1].AsSpan(0, n), 1.0);
            data.Network.Backward(ws, n, single);
        }
        Assert.True(Math.Abs(sse - plain) <= 1e-12 * plain, $"Σr² {sse} vs {plain}");
        Approx.AssertClose(single, lanes, 1e-10, "gradient");
    }

    [Theory, MemberData(nameof(Cases))]
    public void IterationsAfterTheFirstAllocateNothing(OptimizerKind kind, int[] hidden, int blockSize)
    {
        var (data, theta) = Setup(hidden, blockSize, threads: 2);
        var solver = Solver(kind, data);
        for (int i = 0; i < 3; i++) solver.Iterate(theta); // first use: the JIT, the workers, pooled scratch
        var (caller, workers) = StepAllocation.Least(() => { for (int i = 0; i < 3; i++) solver.Iterate(theta); });
        Assert.Equal(0, caller);
        Assert.Equal(0, workers);
    }

    [Theory]
    [InlineData("lbfgs-8in-1e5")]
    [InlineData("lm-8in-1e4")]
    public void TheBenchSolverCasesCountIterationsAndTheirWork(string name)
    {
        var small = NeuralFit.Benchmarking.BenchCase.All.Single(c => c.Name == name) with { Batch = 3000 };
        var result = NeuralFit.Benchmarking.SolverBenchmark.Run(small, peakGflops: 100, secondsPerRun: 0.05, runs: 1);
        Assert.True(result.StepsPerSecond > 0 && result.Gflops > 0, $"{result.StepsPerSecond} iterations/s, {result.Gflops} GFLOP/s");
        Assert.Equal(result.Gflops / 200, result.PeakFraction, 12); // two threads: of twice one core's peak
    }
}
