using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels.OneInput;

namespace NeuralFit.Training;

/// <summary>
/// Data-parallel gradient accumulation for large batches. The kernel plan cuts the batch into chunks whose number
/// depends on the batch size only (<see cref="KernelPlan{T}.Chunks"/>); each chunk runs forward, loss and backward
/// in its own workspace (with its own plan) into its own gradient, on whichever core is free; then the chunks'
/// gradients and squared errors are added in chunk order. So a run gives the same numbers, bit for bit, on one core
/// or on many.
/// </summary>
internal sealed class DataParallel<T> : IParallelWork where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Mlp<T> _network;
    readonly Workspace<T> _full;
    readonly Workspace<T>[] _chunks;
    readonly T[][] _gradients;
    readonly double[] _squaredErrors;
    readonly ISegmentsPass<T>? _segments;        // the whole batch's, which builds the step's tables (null: none shared)
    readonly ISegmentsPass<T>[] _chunkSegments;  // the chunks', which read them

    public DataParallel(Mlp<T> network, Workspace<T> full)
    {
        var plan = full.Plan;
        if (!plan.DataParallel) throw new ArgumentException($"the plan runs the batch whole: {plan.ChunksWhy}", nameof(full));
        _network = network;
        _full = full;
        int count = plan.Chunks.Count;
        _chunks = new Workspace<T>[count];
        _gradients = new T[count][];
        for (int c = 0; c < count; c++)
        {
            _chunks[c] = new Workspace<T>(network.Shape, plan.Chunks[c], plan.Inputs);
            _gradients[c] = new T[network.Shape.ParameterCount];
        }
        _squaredErrors = new double[count];
        // Segments in every chunk as in the whole batch: the step builds their tables once and combines the chunks'
        // per-segment sums once, instead of each chunk doing both for its part; both by blocks of outputs on the
        // step's cores.
        _chunkSegments = _chunks.Select(ws => ws.Plan.Segments).OfType<ISegmentsPass<T>>().ToArray();
        if (plan.Segments is { } segments && _chunkSegments.Length == count)
        {
            _segments = segments;
            foreach (var chunk in _chunkSegments) chunk.ReadTablesOf(segments);
        }
    }

    /// <summary>Forward, loss and backward of the batch in the full workspace, on up to <paramref name="threads"/> cores;
    /// writes the summed gradient and returns the batch's mean squared error.</summary>
    public double LossAndGradient(int n, Span<T> gradient, int threads)
    {
        if (n != _full.Plan.Batch) throw new InvalidOperationException($"batch of {n} does not match the {_chunks.Length} chunks prepared for {_full.Plan.Batch}");
        bool segments = _segments is not null && _segments.PlaceStep(_network.Weights(0), _network.Biases(0), _full.Input.AsSpan(0, n), _full.Plan.Chunks[0]);
        if (segments) RunPhase(Phase.SegmentTables, _segments!.StepBlocks, threads);
        RunPhase(Phase.Chunks, _chunks.Length, threads);
        if (segments)
        {
            // into chunk 0's gradient (an array the workers can hold), before the chunks' gradients are added up
            RunPhase(Phase.SegmentSums, _segments!.StepBlocks, threads);
            _segments.FinishStep(_network.Weights(_gradients[0], 0), _network.Biases(_gradients[0], 0));
        }
        _gradients[0].CopyTo(gradient);
        for (int c = 1; c < _chunks.Length; c++)
            System.Numerics.Tensors.TensorPrimitives.Add(gradient, _gradients[c], gradient);
        double sum = 0;
        foreach (var s in _squaredErrors) sum += s;
        return sum / (n * _network.Shape.Outputs);
    }

    enum Phase { Chunks, SegmentTables, SegmentSums }

    Phase _phase;

    void RunPhase(Phase phase, int items, int threads)
    {
        _phase = phase;
        StepWorkers.Run(this, items, threads);
    }

    public void Run(int item)
    {
        switch (_phase)
        {
            case Phase.SegmentTables: _segments!.StepTables(item, _network.Weights(1), _network.Biases(1)); break;
            case Phase.SegmentSums: _segments!.CombineStep(item, _chunkSegments, _network.Weights(1), _network.Weights(_gradients[0], 1)); break;
            default: RunChunk(item); break;
        }
    }

    /// <summary>Chunk c: copy its columns of x and y, then forward, loss (scaled for the whole batch), backward.</summary>
    void RunChunk(int c)
    {
        int n = _full.Plan.Batch;
        var (lo, hi) = _full.Plan.ChunkRange(c);
        int m = hi - lo;
        var ws = _chunks[c];
        var shape = _network.Shape;
        for (int k = 0; k < shape.Inputs; k++) _full.Input.AsSpan(k * n + lo, m).CopyTo(ws.Input.AsSpan(k * m, m));
        for (int k = 0; k < shape.Outputs; k++) _full.Target.AsSpan(k * n + lo, m).CopyTo(ws.Target.AsSpan(k * m, m));
        _squaredErrors[c] = StepGradient.Run(_network, ws, m, _gradients[c], T.CreateChecked(2.0 / (n * shape.Outputs)));
    }
}
