using System.CommandLine;
using System.Globalization;
using NeuralFit.Benchmarking;
using NeuralFit.Cli.Terminal;
using NeuralFit.Networks;
using NeuralFit.Persistence;
using NeuralFit.Results;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit bench`: this machine's FMA peak, then training-step throughput case by case.</summary>
static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure this core's FMA peak, then Adam training steps per second on the PyTorch peer's cases "
            + "(question-net-b50, question-net-b500, wide-net-b1024) and more: GFLOP/s and fraction of peak; and process start to first step. "
            + $"{KernelVariants.EnvironmentVariable}=vector512|vector256|vector128|scalar|rows|naive forces a kernel.");
        var json = new Option<string>("--json") { Description = "write the measurements as JSON to this file", HelpName = "file" };
        var seconds = NumberOptions.Create("--seconds", "length of each timed run", 0.5, "s");
        var runs = NumberOptions.Create("--runs", "timed runs per case (the median is reported)", 5, "N");
        var only = new Option<string[]>("--case") { Description = "run only this case, or the cases whose names start with this (repeatable)", HelpName = "name" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "also print each case's kernel plan: which path runs for each layer, and why" };
        var probe = new Option<bool>(StartupProbe.ChildFlag) { Hidden = true };
        command.Options.Add(json);
        command.Options.Add(seconds);
        command.Options.Add(runs);
        command.Options.Add(only);
        command.Options.Add(verbose);
        command.Options.Add(probe);
        command.SetAction(parse =>
        {
            if (parse.GetValue(probe)) { StartupProbe.RunChild(); return ExitCodes.Success; }
            double s = NumberOptions.Number(parse, seconds, 0.5, 0, 60);
            int r = NumberOptions.Count(parse, runs, 5, 1, 50);
            var names = parse.GetValue(only) ?? [];
            // A whole name picks that case alone (question-net-b50 is also the start of question-net-b500); else a prefix.
            bool Picks(string n, BenchCase c) => BenchCase.All.Any(x => x.Name == n) ? c.Name == n : c.Name.StartsWith(n, StringComparison.Ordinal);
            var cases = BenchCase.All.Where(c => names.Length == 0 || names.Any(n => Picks(n, c))).ToList();
            if (cases.Count == 0) throw new InputError($"--case: no case starts with {string.Join(" or ", names)}; cases: {string.Join(", ", BenchCase.All.Select(c => c.Name))}");
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);

            using var interruption = new Interruption("the benchmark"); // timing loops: a signal ends them at once, with one line
            interruption.Finishing();
            var (variant, note) = KernelVariants.Chosen;
            if (note is not null) Console.Error.WriteLine($"neuralfit: {note}");
            Console.WriteLine($"{MachineName.Describe()}; kernel {variant.Name()}; {Environment.ProcessorCount} cores; {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            double peak32 = FmaPeak.Gflops<float>(), peak64 = FmaPeak.Gflops<double>();
            Console.WriteLine($"load average {LoadAverage()}: other work on this machine lowers the medians; the fastest single step shows what the code does alone");
            Console.WriteLine($"FMA peak, one core ({FmaPeak.MeasuredWidthBits}-bit vectors): float32 {peak32:F1} GFLOP/s, float64 {peak64:F1} GFLOP/s");
            Console.WriteLine("GFLOP/s count each step's nominal FLOPs (the peer's formula: every layer as a product). The peer's cases run as `fit` does,");
            Console.WriteLine("skipping much of that work (one-input segments, ReLU units off over the batch): an effective rate, which can pass 100 % of peak;");
            Console.WriteLine("the -products cases run every layer as a product and measure the SIMD kernels");
            var results = new List<CaseResult>();
            foreach (var c in cases)
            {
                if (parse.GetValue(verbose))
                    foreach (var line in StepBenchmark.Plan(c)) Console.WriteLine($"  {line}");
                var result = StepBenchmark.Run(c, c.Precision == Configuration.Precision.Float64 ? peak64 : peak32, s, r);
                results.Add(result);
                Console.WriteLine($"  {c.Name,-33} {result.StepsPerSecond,9:N0} steps/s {result.Gflops,6:F1} GFLOP/s {100 * result.PeakFraction,5:F1} % of peak"
                    + $"  (fastest step: {result.BestStepPerSecond:N0}/s, {100 * result.PeakFraction * result.BestStepPerSecond / result.StepsPerSecond:F0} %)");
            }
            var startup = StartupProbe.Measure();
            Console.WriteLine(startup is { } st
                ? $"process start to first training step: {st.Median:F0} ms (median of {st.Runs.Length}: {string.Join(", ", st.Runs.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}; "
                  + $"{st.JitCompiledMethods} methods JIT-compiled by then)"
                : "process start to first training step: not measured (cannot start this command again from here)");
            if (jsonPath is not null)
            {
                using var staged = new Outputs(interruption);
                staged.Text(jsonPath, ResultJson.ToText(BenchJson.Build(new BenchResult(peak32, peak64, results, startup))));
                staged.Commit(interruption);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The 1-minute load average (Linux), or "unknown".</summary>
    static string LoadAverage()
    {
        try { return File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown"; }
        catch (IOException) { return "unknown"; }
    }
}
