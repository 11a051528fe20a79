using BenchmarkDotNet.Attributes;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Benchmarks;

/// <summary>
/// One dense layer's forward and backward pass (ReLU) for each kernel variant this machine runs, on the question
/// network's hidden layer (50 → 10, batch 500) and the wide network's (256 → 256, one 512-sample chunk), by the
/// paths a training step's plan takes: the forward epilogue stores z and a, and the backward pass hands the ReLU
/// layer below its delta (and bias gradient) in dx's epilogue.
/// </summary>
[MemoryDiagnoser]
public class DenseKernelBenchmarks
{
    float[] _x = [], _w = [], _b = [], _z = [], _a = [], _dz = [], _dw = [], _db = [], _dx = [], _zBelow = [];
    IForwardPass<float> _forward = null!;
    IBackwardPass<float> _backward = null!;
    int _nIn, _nOut, _n;

    /// <summary>The variants by name: the kernel types are internal to the library, and BenchmarkDotNet's parameters must be public.</summary>
    public IEnumerable<string> Variants => KernelVariants.Supported.Where(v => v != KernelVariant.Naive).Select(v => v.ToString());

    [ParamsSource(nameof(Variants))]
    public string Variant { get; set; } = "";

    [Params("50-10-b500", "256-256-b512")]
    public string Layer { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        (_nIn, _nOut, _n) = Layer == "50-10-b500" ? (50, 10, 500) : (256, 256, 512);
        var variant = Enum.Parse<KernelVariant>(Variant);
        bool rows = variant == KernelVariant.Rows;
        _forward = KernelPasses<float>.Forward(variant, Activation.Relu, rows ? ForwardPath.Rows : ForwardPath.ProductStoresZAndA);
        _backward = KernelPasses<float>.Backward(variant, Activation.Relu, rows ? BackwardPath.Rows : BackwardPath.ProductsFuseDelta);
        var rng = new Random(1);
        float[] R(int count) => Enumerable.Range(0, count).Select(_ => (float)(rng.NextDouble() - 0.5)).ToArray();
        (_x, _w, _b, _dz) = (R(_nIn * _n), R(_nOut * _nIn), R(_nOut), R(_nOut * _n));
        (_z, _a, _dw, _db, _dx) = (new float[_nOut * _n], new float[_nOut * _n], new float[_nOut * _nIn], new float[_nIn], new float[_nIn * _n]);
        _zBelow = R(_nIn * _n);
        Forward();
    }

    [Benchmark]
    public void Forward() => _forward.Run(_x, _w, _b, _z, _a, _nIn, _nOut, _n);

    [Benchmark]
    public void Backward() => _backward.Run(_dz, _x, _w, _dw, _nIn, _nOut, _n, new LayerBelow<float>(_dx, _zBelow, _x, _db));
}
