using System.Diagnostics;
using System.Runtime;
using NeuralFit.Configuration;
using NeuralFit.Question;
using NeuralFit.Fitting;
using NeuralFit.Training;

namespace NeuralFit.Benchmarking;

/// <summary>
/// Process start to first training step: `neuralfit bench` starts itself again with a hidden flag, the child sets up
/// the answer's fix (1-50-10-1, Adam, batch 500, as `neuralfit fit` would: config, problem, session) and trains one
/// step, then prints a line with how many methods the JIT compiled by then (what the precompiled image left out, and
/// any promoted to tier 1); the parent times from starting the process to reading that line.
/// </summary>
/// <param name="Median">Milliseconds, the median over the launches.</param>
/// <param name="JitCompiledMethods">Methods JIT-compiled before the first step, in the launch at the median time.</param>
internal sealed record StartupTimes(double Median, double[] Runs, long JitCompiledMethods);

/// <summary>Runs and times <see cref="StartupTimes"/>.</summary>
internal static class StartupProbe
{
    public const string ChildFlag = "--first-step-probe";
    public const string Ready = "first-step-done";

    /// <summary>The child's side: one training step of a typical run, then the ready line.</summary>
    public static void RunChild()
    {
        var config = Defaults.Complete(QuestionVariants.Original with
        {
            Domain = [new Interval(0.01, 1)], Init = new NeuralFit.Networks.InitSpec(NeuralFit.Networks.InitKind.TruncatedNormal, 0.1),
            BiasInit = new NeuralFit.Networks.InitSpec(NeuralFit.Networks.InitKind.Constant, 0.1), Optimizer = OptimizerKind.Adam,
            LearningRate = 1e-4, BatchSize = 500, Steps = 1,
        });
        var session = SessionFactory.Create<float>(config, Problem.Create(config));
        Trainer.Train(session, []);
        Console.Out.WriteLine($"{Ready} {JitInfo.GetCompiledMethodCount(currentThread: false)}");
        Console.Out.Flush();
    }

    /// <summary>Median milliseconds from process start to the child's first step, over several launches; null when
    /// the command cannot be started again (for instance, when hosted inside another process).</summary>
    public static StartupTimes? Measure(int launches = 5)
    {
        var (file, prefix) = SelfCommand();
        if (file is null) return null;
        var runs = new List<(double Ms, long Jitted)>();
        for (int i = 0; i < launches; i++)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in prefix) start.ArgumentList.Add(a);
            start.ArgumentList.Add("bench");
            start.ArgumentList.Add(ChildFlag);
            var clock = Stopwatch.StartNew();
            using var p = Process.Start(start);
            if (p is null) return null;
            string? line;
            while ((line = p.StandardOutput.ReadLine()) is not null && !line.StartsWith(Ready + " ", StringComparison.Ordinal)) { }
            double ms = clock.Elapsed.TotalMilliseconds;
            p.WaitForExit();
            if (line is null || p.ExitCode != 0 || !long.TryParse(line.AsSpan(Ready.Length + 1), out long jitted)) return null;
            runs.Add((ms, jitted));
        }
        var median = runs.OrderBy(r => r.Ms).ElementAt(runs.Count / 2);
        return new StartupTimes(StepBenchmark.Median(runs.Select(r => r.Ms).ToList()), runs.Select(r => r.Ms).ToArray(), median.Jitted);
    }

    /// <summary>How this process was started: the app host itself, or `dotnet app.dll`.</summary>
    static (string? File, string[] Prefix) SelfCommand()
    {
        var host = Environment.ProcessPath;
        if (host is null) return (null, []);
        bool viaDotnet = Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!viaDotnet) return (host, []);
        var dll = Environment.GetCommandLineArgs().FirstOrDefault();
        return dll is not null && dll.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && File.Exists(dll) ? (host, [dll]) : (null, []);
    }
}
