using BenchmarkDotNet.Attributes;
using NeuralFit.Training.Optimizers;

namespace NeuralFit.Benchmarks;

/// <summary>Adam's update over the wide network's 66 049 parameters: one vectorised pass over the flat vector.</summary>
[MemoryDiagnoser]
public class AdamBenchmarks
{
    readonly float[] _parameters = new float[66_049], _gradient = new float[66_049];
    readonly Adam<float> _adam = new(66_049);

    [GlobalSetup]
    public void Setup()
    {
        var rng = new Random(1);
        for (int i = 0; i < _parameters.Length; i++) (_parameters[i], _gradient[i]) = ((float)rng.NextDouble(), (float)(rng.NextDouble() - 0.5));
    }

    [Benchmark]
    public void Step() => _adam.Step(_parameters, _gradient, 1e-3);
}
