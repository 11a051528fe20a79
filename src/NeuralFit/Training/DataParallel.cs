using System.Numerics;
using NeuralFit.Networks;

namespace NeuralFit.Training;

/// <summary>
/// Data-parallel gradient accumulation for large batches. The batch is cut into a fixed number of chunks that
/// depends on the batch size only (<see cref="ChunkCount"/>); each chunk runs forward, loss and backward in its own
/// workspace into its own gradient, on whichever core is free; then the chunks' gradients and squared errors are
/// added in chunk order. So a run gives the same numbers, bit for bit, on one core or on many.
/// </summary>
public sealed class DataParallel<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Samples per chunk, at least. Big enough that each chunk's products stay efficient (the batch is the
    /// long dimension of every kernel), small enough that a 1024-sample batch keeps two cores busy.</summary>
    public const int ChunkSamples = 512;

    readonly Mlp<T> _network;
    readonly Workspace<T> _full;
    readonly Workspace<T>[] _chunks;
    readonly T[][] _gradients;
    readonly double[] _squaredErrors;
    int _n;

    public DataParallel(Mlp<T> network, Workspace<T> full, bool segments = true)
    {
        _network = network;
        _full = full;
        int count = ChunkCount(full.Capacity);
        _chunks = new Workspace<T>[count];
        _gradients = new T[count][];
        for (int c = 0; c < count; c++)
        {
            var (lo, hi) = Range(c, count, full.Capacity);
            _chunks[c] = new Workspace<T>(network.Shape, hi - lo, keepPreActivations: false, segments);
            _gradients[c] = new T[network.Shape.ParameterCount];
        }
        _squaredErrors = new double[count];
    }

    /// <summary>Chunks for a batch of n: one below 2·<see cref="ChunkSamples"/>, so small batches run as they always did.</summary>
    public static int ChunkCount(int n) => Math.Max(1, n / ChunkSamples);

    /// <summary>Samples [lo, hi) of chunk c of count.</summary>
    static (int Lo, int Hi) Range(int c, int count, int n) => ((int)((long)c * n / count), (int)((long)(c + 1) * n / count));

    /// <summary>Forward, loss and backward of the batch in the full workspace, on up to <paramref name="threads"/> cores;
    /// writes the summed gradient and returns the batch's mean squared error.</summary>
    public double LossAndGradient(int n, Span<T> gradient, int threads)
    {
        if (ChunkCount(n) != _chunks.Length) throw new InvalidOperationException($"batch of {n} does not match the {_chunks.Length} chunks prepared");
        _n = n;
        StepWorkers.Run(this, _chunks.Length, threads);
        _gradients[0].CopyTo(gradient);
        for (int c = 1; c < _chunks.Length; c++)
            System.Numerics.Tensors.TensorPrimitives.Add(gradient, _gradients[c], gradient);
        double sum = 0;
        foreach (var s in _squaredErrors) sum += s;
        return sum / (n * _network.Shape.Outputs);
    }

    /// <summary>Chunk c: copy its columns of x and y, then forward, loss (scaled for the whole batch), backward.</summary>
    public void Run(int c)
    {
        var (lo, hi) = Range(c, _chunks.Length, _n);
        int m = hi - lo;
        var ws = _chunks[c];
        var shape = _network.Shape;
        for (int k = 0; k < shape.Inputs; k++) _full.Input.AsSpan(k * _n + lo, m).CopyTo(ws.Input.AsSpan(k * m, m));
        for (int k = 0; k < shape.Outputs; k++) _full.Target.AsSpan(k * _n + lo, m).CopyTo(ws.Target.AsSpan(k * m, m));
        Array.Clear(_gradients[c]);
        _network.Forward(ws, m);
        int outputs = m * shape.Outputs;
        _squaredErrors[c] = MeanSquaredError.SumAndGradient<T>(ws.Output.AsSpan(0, outputs), ws.Target.AsSpan(0, outputs),
            ws.Delta[^1].AsSpan(0, outputs), T.CreateChecked(2.0 / (_n * shape.Outputs)));
        _network.Backward(ws, m, _gradients[c]);
    }
}
