using BenchmarkDotNet.Attributes;
using NeuralFit.Benchmarking;
using NeuralFit.Training;

namespace NeuralFit.Benchmarks;

/// <summary>
/// One Adam training step (forward, loss, backward, update) on the cases of `neuralfit bench` and
/// `../shared/peers/torch_bench.py`, on one core and on two (wide net: the batch is split into chunks).
/// [MemoryDiagnoser] shows a step allocates 0 B.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    TrainingSession<float> _session = null!;

    [Params("question-net-b50", "question-net-b500", "wide-net-b1024", "wide-net-b1024-2-threads")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _session = StepBenchmark.Session<float>(BenchCase.All.First(c => c.Name == Case));

    [Benchmark]
    public double AdamStep() => StepBenchmark.Step(_session);
}
