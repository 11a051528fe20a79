using System.Diagnostics;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Benchmarking;

/// <summary>
/// What one case measured: the median of the timed runs, and every run; and the fastest single step seen, as
/// steps per second, which a busy machine disturbs far less than the runs (it shows what the code does when it
/// has the core to itself).
/// </summary>
internal sealed record CaseResult(BenchCase Case, double StepsPerSecond, IReadOnlyList<double> Runs, double Gflops, double PeakFraction,
    double BestStepPerSecond);

/// <summary>
/// Times a case's training step (forward, loss, backward, Adam) as the peer does: a warm-up, then several timed
/// runs of fixed duration, each counting whole steps; the median run is reported.
/// </summary>
internal static class StepBenchmark
{
    public static CaseResult Run(BenchCase c, double peakGflops, double secondsPerRun = 0.5, int runs = 5)
    {
        if (c.Solver is not null) return SolverBenchmark.Run(c, peakGflops, secondsPerRun, runs);
        var (rates, best) = c.Precision == Precision.Float64 ? Time<double>(c, secondsPerRun, runs) : Time<float>(c, secondsPerRun, runs);
        double median = Median(rates);
        double gflops = median * c.FlopsPerStep / 1e9;
        return new CaseResult(c, median, rates, gflops, gflops / (peakGflops * c.Threads), best);
    }

    /// <summary>
    /// A session set up for the case, the batch in its workspace, the network initialised as the peer's is
    /// (torch.nn.Linear's default: weights and biases from U(±1/√fan-in)), so both train the same kind of network,
    /// with the same share of ReLU units off over the batch (and tanh units at the same pre-activations).
    /// </summary>
    public static TrainingSession<T> Session<T>(BenchCase c) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = new NetworkShape(c.Sizes[0], c.Sizes[1..^1], c.Sizes[^1], c.Activation);
        var rng = new Rng(0);
        var initial = new double[shape.ParameterCount];
        foreach (var slot in shape.Slots)
        {
            double bound = 1 / Math.Sqrt(slot.FanIn);
            for (int i = 0; i < slot.WeightCount; i++) initial[slot.WeightOffset + i] = rng.Uniform(-bound, bound);
            for (int i = 0; i < slot.FanOut; i++) initial[slot.BiasOffset + i] = rng.Uniform(-bound, bound);
        }
        var network = new Mlp<T>(shape, initial.Select(T.CreateChecked).ToArray());
        var session = new TrainingSession<T>(network, new FixedLogBatch<T>(c.Batch, rng), new Adam<T>(shape.ParameterCount),
            new Schedule(ScheduleSpec.Constant, 1e-3, int.MaxValue), int.MaxValue, segments: !c.Products, segmentsAlways: c.Segments);
        session.Threads = c.Threads;
        session.Batches.Next(session.Workspace.Batch);
        return session;
    }

    /// <summary>The kernel plan a case's training step runs (for `neuralfit bench --verbose`).</summary>
    public static IEnumerable<string> Plan(BenchCase c) =>
        c.Solver is not null ? SolverBenchmark.Setup(c).Data.Plan.Describe()
        : c.Precision == Precision.Float64 ? Session<double>(c).Workspace.Plan.Describe() : Session<float>(c).Workspace.Plan.Describe();

    /// <summary>One training step on the batch already in the workspace, as <see cref="Trainer"/> runs it.</summary>
    public static double Step<T>(TrainingSession<T> s) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double loss = s.LossAndGradient(s.Batches.BatchSize);
        s.Optimizer.Step(s.Network.Parameters, s.Gradient, 1e-3);
        return loss;
    }

    static (double[] Rates, double BestStep) Time<T>(BenchCase c, double seconds, int runs) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var session = Session<T>(c);
        long fastest = long.MaxValue;
        RunFor(session, Math.Max(0.2, seconds / 2), ref fastest); // warm-up: the JIT's last tier, caches, worker threads
        fastest = long.MaxValue;
        var rates = new double[runs];
        for (int r = 0; r < runs; r++) rates[r] = RunFor(session, seconds, ref fastest);
        return (rates, Stopwatch.Frequency / (double)fastest);
    }

    static double RunFor<T>(TrainingSession<T> s, double seconds, ref long fastest) where T : unmanaged, IFloatingPointIeee754<T>
    {
        long steps = 0, start = Stopwatch.GetTimestamp(), end = start + (long)(seconds * Stopwatch.Frequency), now = start;
        do
        {
            long before = now;
            Step(s);
            steps++;
            now = Stopwatch.GetTimestamp();
            fastest = Math.Min(fastest, now - before);
        } while (now < end);
        return steps / ((now - start) / (double)Stopwatch.Frequency);
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }

    /// <summary>x ~ U[0.01, 1), y = ln(x), written once; every step trains on the same batch, as the peer does.</summary>
    sealed class FixedLogBatch<T>(int size, Rng rng) : IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool _written;
        public int BatchSize => size;

        public int Next(Batch<T> batch)
        {
            if (_written) return size;
            for (int i = 0; i < size; i++)
            {
                double x = rng.Uniform(0.01, 1);
                batch.X[i] = T.CreateChecked(x);
                batch.Y[i] = T.CreateChecked(Math.Log(x));
            }
            _written = true;
            return size;
        }
    }
}
