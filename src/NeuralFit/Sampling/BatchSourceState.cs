namespace NeuralFit.Sampling;

/// <summary>
/// Where a batch source is in its stream: its random-number state and, for a fixed set, the current epoch's order
/// and position. Restoring it makes the source deal exactly the batches it would have dealt next.
/// </summary>
/// <param name="Redrawn">Points redrawn so far because their target was not finite (fresh sampling).</param>
internal sealed record BatchSourceState(ulong[] Rng, int[] Order, int Cursor, long Redrawn);

/// <summary>A batch source whose position can be saved in a checkpoint and restored from it.</summary>
internal interface IRestorableBatchSource
{
    BatchSourceState SaveState();

    /// <summary>Throws <see cref="InputError"/> when the state does not fit this source (another data set).</summary>
    void RestoreState(BatchSourceState state);
}
