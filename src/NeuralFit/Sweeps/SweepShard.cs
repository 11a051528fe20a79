using System.Globalization;

namespace NeuralFit.Sweeps;

/// <summary>
/// One of <see cref="Count"/> parts of a sweep's grid, numbered from 1 as `--shard 2/3` writes it (as a Slurm array's
/// task ids or Kubernetes' completion index plus one give it). The grid's points are dealt out in turn: shard i runs
/// the points whose index is i − 1, i − 1 + N, i − 1 + 2N, …, so each shard gets every kind of run the grid holds (the
/// last key varies fastest, so whole blocks would give one shard all the largest networks) and the parts differ by at
/// most one run. Which points a shard runs depends on the grid alone, never on the machine or the other shards.
/// </summary>
internal sealed record SweepShard(int Number, int Count)
{
    /// <summary>"i/N", 1 ≤ i ≤ N ≤ <see cref="SweepSpec.MaxRuns"/>; anything else is an <see cref="InputError"/>.</summary>
    public static SweepShard Parse(string text, string source = "--shard")
    {
        var parts = text.Trim().Split('/');
        if (parts.Length != 2 || !Whole(parts[0], out long number) || !Whole(parts[1], out long count))
            throw new InputError($"{source} {text}: expected i/N, such as 2/3 for the second of 3 shards");
        if (count < 1 || count > SweepSpec.MaxRuns)
            throw new InputError($"{source} {text}: the number of shards must be between 1 and {SweepSpec.MaxRuns:N0}");
        if (number < 1 || number > count)
            throw new InputError($"{source} {text}: shards are numbered from 1 to {count}");
        return new SweepShard((int)number, (int)count);
    }

    /// <summary>Whether the grid point with this index (from 0) is this shard's to run.</summary>
    public bool Holds(int pointIndex) => pointIndex % Count == Number - 1;

    public override string ToString() => $"{Number}/{Count}";

    static bool Whole(string s, out long value) =>
        long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
