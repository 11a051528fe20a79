using BenchmarkDotNet.Attributes;
using NeuralFit.Benchmarking;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Benchmarks;

/// <summary>
/// One whole-batch pass of the `bench` solver cases, on one and two threads: L-BFGS's loss and gradient over 1e5 rows
/// (8-32-1 tanh, float64) and Levenberg–Marquardt's normal equations (Jacobian, JᵀJ, Jᵀr) over 1e4 rows. Allocated
/// must read `-` (0 B): the passes run in lanes made once.
/// </summary>
[MemoryDiagnoser]
public class SolverPassBenchmarks
{
    [Params(1, 2)]
    public int Threads { get; set; }

    NetworkObjective _objective = null!;
    NormalEquations _normal = null!;
    double[] _lbfgsTheta = null!, _lmTheta = null!, _gradient = null!;

    [GlobalSetup]
    public void Setup()
    {
        var lbfgs = SolverBenchmark.Setup(Case("lbfgs-8in-1e5"));
        (_objective, _lbfgsTheta, _gradient) = (new NetworkObjective(lbfgs.Data), lbfgs.Start, new double[lbfgs.Start.Length]);
        var lm = SolverBenchmark.Setup(Case("lm-8in-1e4"));
        (_normal, _lmTheta) = (new NormalEquations(new NetworkLeastSquares(lm.Data)), lm.Start);
    }

    BenchCase Case(string name) => BenchCase.All.First(c => c.Name == name) with { Threads = Threads };

    [Benchmark]
    public double LbfgsLossAndGradient() => _objective.ValueAndGradient(_lbfgsTheta, _gradient);

    [Benchmark]
    public void LmNormalEquations() => _normal.Build(_lmTheta);
}
