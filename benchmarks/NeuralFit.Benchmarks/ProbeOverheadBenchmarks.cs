using BenchmarkDotNet.Attributes;
using NeuralFit.Diagnostics;
using NeuralFit.Question;
using NeuralFit.Fitting;

namespace NeuralFit.Benchmarks;

/// <summary>
/// What the probes cost: the ln(x) question's run (10 000 SGD steps at batch 50, display every 500) trained plainly
/// and with probes at the default schedule. The ratio of the two means is the probes' overhead.
/// </summary>
public class ProbeOverheadBenchmarks
{
    readonly NeuralFit.Configuration.RunConfig _question = QuestionVariants.Original with { DisplayStep = 500 };

    [Benchmark(Baseline = true)]
    public double Fit() => FitRunner.Run(_question).Evaluation.Mse;

    [Benchmark]
    public double FitWithProbes() => Diagnoser.Run(_question).Fit.Evaluation.Mse;
}
