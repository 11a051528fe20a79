using System.Diagnostics;
using NeuralFit.Benchmarking;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Benchmarks;

/// <summary>
/// A quick per-row figure for L-BFGS's loss-and-gradient pass of the `lbfgs-8in-1e5` bench case, without
/// BenchmarkDotNet's minutes: `dotnet run -c Release --project benchmarks/NeuralFit.Benchmarks -- pass-ns [threads] [rounds]`.
/// Each round times 20 passes by the process's CPU time (what the pass costs whatever else the machine runs) and by
/// the wall clock; the median and the fastest round are printed, in ns a row.
/// </summary>
static class PassTimer
{
    public static void Run(string[] args)
    {
        int threads = args.Length > 1 ? int.Parse(args[1]) : 1, rounds = args.Length > 2 ? int.Parse(args[2]) : 9;
        var c = BenchCase.All.First(c => c.Name == "lbfgs-8in-1e5") with { Threads = threads };
        var (data, _, start) = SolverBenchmark.Setup(c);
        var objective = new NetworkObjective(data);
        var gradient = new double[start.Length];
        const int passes = 20;
        for (int i = 0; i < 3 * passes; i++) objective.ValueAndGradient(start, gradient); // the JIT's last tier
        var cpu = new double[rounds];
        var wall = new double[rounds];
        var process = Process.GetCurrentProcess();
        for (int r = 0; r < rounds; r++)
        {
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < passes; i++) objective.ValueAndGradient(start, gradient);
            wall[r] = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / ((double)passes * data.Count);
            process.Refresh();
            cpu[r] = (process.TotalProcessorTime - cpu0).TotalNanoseconds / ((double)passes * data.Count);
        }
        Array.Sort(cpu);
        Array.Sort(wall);
        Console.WriteLine($"loss and gradient, {data.Count} rows, {threads} thread(s): CPU {cpu[rounds / 2]:F1} ns a row (fastest round {cpu[0]:F1}), " +
            $"wall {wall[rounds / 2]:F1} (fastest {wall[0]:F1}); loss {objective.ValueAndGradient(start, gradient):R}");
    }
}
