using BenchmarkDotNet.Attributes;
using NeuralFit.Benchmarking;
using NeuralFit.Training;

namespace NeuralFit.Benchmarks;

/// <summary>
/// One Adam training step (forward, loss, backward, update) on the cases of `neuralfit bench` and
/// `../shared/peers/torch_bench.py`, on one core and on two (wide net: the batch is split into chunks); the
/// -products cases run every layer as a product (no one-input segments).
/// [MemoryDiagnoser] shows a step allocates 0 B.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    TrainingSession<float> _session = null!;

    [Params("question-net-b50", "question-net-b500", "question-net-b500-products", "wide-net-b1024", "wide-net-b1024-products",
        "wide-net-b1024-2-threads-products")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup() => _session = StepBenchmark.Session<float>(BenchCase.All.First(c => c.Name == Case));

    [Benchmark]
    public double AdamStep() => StepBenchmark.Step(_session);
}
