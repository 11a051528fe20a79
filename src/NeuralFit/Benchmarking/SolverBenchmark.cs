using System.Diagnostics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Benchmarking;

/// <summary>
/// Times a whole-batch solver's iterations (L-BFGS or Levenberg–Marquardt) over a fixed training set, as `neuralfit
/// fit` runs them on a data file: 8 inputs uniform on [0, 1) mapped onto [−1, 1], a smooth target of all eight
/// (benchmarks/data/friedman8.py's, without the noise), standardised; a tanh network from Nguyen–Widrow; float64;
/// the case's threads. After a warm-up, timed runs of fixed duration count iterations and the work they did.
///
/// GFLOP/s count the products a pass computes, 2 per multiply-add: forward 2·n·Σ in·out per sample; backward the same
/// for dw plus dx above the first layer; for lm, JᵀJ (P(P+1)·m per iteration). The activation (tanh) and the
/// Jacobian's own entries are not counted, so the rate understates the work done.
/// </summary>
internal static class SolverBenchmark
{
    public static CaseResult Run(BenchCase c, double peakGflops, double secondsPerRun = 0.5, int runs = 5)
    {
        var (data, solver, start) = Setup(c);
        var theta = (double[])start.Clone();
        var rates = new double[runs];
        var gflops = new double[runs];
        long fastest = long.MaxValue;
        RunFor(c, data, solver, theta, start, Math.Max(0.2, secondsPerRun / 2), ref fastest); // warm-up: the JIT's last tier, the workers
        fastest = long.MaxValue;
        for (int r = 0; r < runs; r++) (rates[r], gflops[r]) = RunFor(c, data, solver, theta, start, secondsPerRun, ref fastest);
        double median = StepBenchmark.Median(rates), rate = StepBenchmark.Median(gflops);
        return new CaseResult(c, median, rates, rate, rate / (peakGflops * c.Threads), Stopwatch.Frequency / (double)fastest);
    }

    /// <summary>The training set, the solver on it and the starting parameters.</summary>
    public static (NetworkData Data, IWholeBatchSolver Solver, double[] Start) Setup(BenchCase c)
    {
        int d = c.Sizes[0];
        var shape = new NetworkShape(d, c.Sizes[1..^1], c.Sizes[^1], Activation.Tanh);
        var rng = new Rng(0);
        var x = new double[c.Batch * d];
        var y = new double[c.Batch];
        for (int i = 0; i < c.Batch; i++)
        {
            var row = x.AsSpan(i * d, d);
            for (int k = 0; k < d; k++) row[k] = rng.NextDouble();
            y[i] = Target(row);
        }
        var normalization = Normalization.Fit(NormalizeMode.Both, NormalizerKind.Auto, x, d, y);
        int block = c.Solver == OptimizerKind.Lm ? NetworkLeastSquares.BlockSizeFor(shape.ParameterCount) : NetworkObjective.BlockSizeFor(shape);
        var data = new NetworkData(shape, new SampleSet(x, y, d), normalization, block) { Threads = c.Threads };
        var start = new double[shape.ParameterCount];
        NguyenWidrow.Fill(shape, start, InitSpec.Zeros, rng);
        IWholeBatchSolver solver = c.Solver == OptimizerKind.Lm
            ? new LevenbergMarquardt(new NetworkLeastSquares(data))
            : new Lbfgs(new NetworkObjective(data));
        return (data, solver, start);
    }

    /// <summary>Friedman's first function extended to eight inputs (benchmarks/data/friedman8.py), for x of any length ≥ 8;
    /// fewer inputs take the terms they have.</summary>
    static double Target(ReadOnlySpan<double> x)
    {
        double v = 0;
        if (x.Length >= 2) v += 10 * Math.Sin(Math.PI * x[0] * x[1]);
        if (x.Length >= 3) v += 20 * (x[2] - 0.5) * (x[2] - 0.5);
        if (x.Length >= 5) v += 10 * x[3] + 5 * x[4];
        if (x.Length >= 7) v += 3 * x[5] * x[6];
        if (x.Length >= 8) v += 2 * Math.Cos(2 * Math.PI * x[7]);
        return x.Length >= 2 ? v : x[0];
    }

    /// <summary>Floating-point operations counted for the work <paramref name="data"/> did, and lm's normal equations.</summary>
    static double Flops(BenchCase c, NetworkData data, long forward, long backward, int builds)
    {
        double products = 0, above = 0;
        foreach (var slot in data.Shape.Slots)
        {
            products += 2.0 * slot.FanIn * slot.FanOut;
            if (slot.WeightOffset > 0) above += 2.0 * slot.FanIn * slot.FanOut;
        }
        double p = data.Shape.ParameterCount;
        double gram = c.Solver == OptimizerKind.Lm ? builds * p * (p + 1) * data.Count : 0;
        return forward * products + backward * (products + above) + gram;
    }

    static (double IterationsPerSecond, double Gflops) RunFor(BenchCase c, NetworkData data, IWholeBatchSolver solver, double[] theta,
        double[] start, double seconds, ref long fastest)
    {
        long iterations = 0, begin = Stopwatch.GetTimestamp(), end = begin + (long)(seconds * Stopwatch.Frequency), now = begin;
        long forward = data.ForwardSamples, backward = data.BackwardSamples;
        do
        {
            long before = now;
            if (solver.Iterate(theta).Converged) start.CopyTo(theta, 0); // the solver restarts where θ was moved
            iterations++;
            now = Stopwatch.GetTimestamp();
            fastest = Math.Min(fastest, now - before);
        } while (now < end);
        double elapsed = (now - begin) / (double)Stopwatch.Frequency;
        double flops = Flops(c, data, data.ForwardSamples - forward, data.BackwardSamples - backward, (int)iterations);
        return (iterations / elapsed, flops / elapsed / 1e9);
    }
}
