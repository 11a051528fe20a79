using System.Numerics;
using NeuralFit.Preprocessing;

namespace NeuralFit.Sampling;

/// <summary>
/// Minibatches from a fixed training set: each epoch visits every sample once in a fresh random order. A batch
/// as large as the set is the whole set in its own order (full-batch training, no shuffling needed).
/// </summary>
internal sealed class SampleSetBatches<T> : IBatchSource<T>, IRestorableBatchSource where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly SampleSet _set;
    readonly Normalization _normalization;
    readonly Rng _rng;
    readonly int[] _order;
    int _cursor;

    public SampleSetBatches(SampleSet set, int batchSize, Normalization normalization, Rng rng)
    {
        if (set.Count == 0) throw new InputError("the training set is empty");
        (_set, _normalization, _rng) = (set, normalization, rng);
        BatchSize = Math.Min(batchSize, set.Count);
        _order = Enumerable.Range(0, set.Count).ToArray();
        _cursor = set.Count; // shuffle before the first batch
    }

    public int BatchSize { get; }

    /// <summary>Position in the current epoch, for checkpoints.</summary>
    public (int[] Order, int Cursor) State => (_order, _cursor);

    public void Restore(int[] order, int cursor)
    {
        order.CopyTo(_order, 0);
        _cursor = cursor;
    }

    public BatchSourceState SaveState() => new(_rng.GetState(), (int[])_order.Clone(), _cursor, 0);

    public void RestoreState(BatchSourceState state)
    {
        if (state.Order.Length != _order.Length || state.Cursor < 0 || state.Cursor > _order.Length)
            throw new InputError($"the saved epoch order has {state.Order.Length} samples at position {state.Cursor}, but the training set has {_order.Length}");
        var seen = new bool[_order.Length];
        foreach (int i in state.Order)
        {
            if (i < 0 || i >= seen.Length || seen[i]) throw new InputError("the saved epoch order is not a permutation of the training set");
            seen[i] = true;
        }
        _rng.SetState(state.Rng);
        Restore(state.Order, state.Cursor);
    }

    public int Next(Batch<T> batch)
    {
        int n = BatchSize;
        if (n == _set.Count)
        {
            for (int i = 0; i < n; i++) BatchWriter.Write(batch, i, n, _set.Row(i), _set.Targets(i), _normalization);
            return n;
        }
        for (int i = 0; i < n; i++)
        {
            if (_cursor == _order.Length) { _rng.Shuffle(_order); _cursor = 0; }
            int s = _order[_cursor++];
            BatchWriter.Write(batch, i, n, _set.Row(s), _set.Targets(s), _normalization);
        }
        return n;
    }
}
