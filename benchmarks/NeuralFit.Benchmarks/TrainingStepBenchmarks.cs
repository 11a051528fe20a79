using BenchmarkDotNet.Attributes;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Optimizers;

namespace NeuralFit.Benchmarks;

/// <summary>
/// One Adam training step of the ln(x) question's network (1-50-10-1 ReLU) on a fixed batch of x ~ U[0.01, 1),
/// as `../shared/peers/torch_bench.py` times PyTorch: forward, loss, backward, optimizer step.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    Mlp<float> _network = null!;
    Workspace<float> _workspace = null!;
    float[] _gradient = null!;
    Adam<float> _adam = null!;

    [Params(50, 500)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var shape = new NetworkShape(1, [50, 10], 1, Activation.Relu);
        var rng = new Rng(0);
        _network = new Mlp<float>(shape, Initialization.Draw(shape, new InitSpec(InitKind.HeUniform), InitSpec.Zeros, rng).Select(v => (float)v).ToArray());
        _workspace = new Workspace<float>(shape, Batch);
        for (int i = 0; i < Batch; i++)
        {
            double x = rng.Uniform(0.01, 1);
            _workspace.Input[i] = (float)x;
            _workspace.Target[i] = (float)Math.Log(x);
        }
        _gradient = new float[shape.ParameterCount];
        _adam = new Adam<float>(shape.ParameterCount);
    }

    [Benchmark]
    public double AdamStep()
    {
        Array.Clear(_gradient);
        _network.Forward(_workspace, Batch);
        double loss = MeanSquaredError.LossAndGradient<float>(_workspace.Output.AsSpan(0, Batch), _workspace.Target.AsSpan(0, Batch), _workspace.Delta[^1].AsSpan(0, Batch));
        _network.Backward(_workspace, Batch, _gradient);
        _adam.Step(_network.Parameters, _gradient, 1e-3);
        return loss;
    }
}
