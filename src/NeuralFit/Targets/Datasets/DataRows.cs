using NeuralFit.Configuration;
using NeuralFit.Sampling;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// A data set's rows, held once: inputs row-major (Count, Inputs) and targets row-major (Count, Outputs), in arrays
/// that belong to this store alone. A fit splits them into training, validation and test rows; the first split
/// (<see cref="Split"/>) moves the rows in place so that each share is one consecutive run, [training | validation |
/// test], each in the file's order, and hands out views of those runs: the split copies no row, so a data set of a
/// million rows is in memory once (benchmarks/README.md, "fit --data on 1e6 rows"). Which rows go where is decided
/// on the file's order exactly as <see cref="SampleSet.SplitOff"/> decides it, so the shares are the same rows in the
/// same order whether they are views or copies. A split of other shares (another seed or fraction: a second problem
/// built on the same rows) gets copies, and the arrangement, once made, never changes, so a view handed out stays
/// true. Rows are read in the file's order only through <see cref="Select"/>, which copies.
/// </summary>
internal sealed class DataRows
{
    readonly double[] _x, _y;
    readonly object _gate = new();
    Arrangement? _arranged;

    /// <summary>The shares a split was made for, the state its random streams started from, and its views. Which file
    /// row each position holds is not kept (4 bytes a row, 4 MB for a million): it is worked out again from the
    /// streams' states when rows are asked for by their file row (<see cref="Select"/>), which a large fit never does.</summary>
    sealed record Arrangement(double TestFraction, double ValidationFraction, ulong Seed, ulong[] TestState, ulong[] ValidationState, RowSplit Split);

    /// <summary>Takes the arrays as they are (they must not be used elsewhere): x row-major (count, inputs), y (count, outputs).</summary>
    public DataRows(double[] x, double[] y, int inputs, int outputs = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (x.Length % inputs != 0 || y.Length % outputs != 0 || x.Length / inputs != y.Length / outputs)
            throw new ArgumentException($"{x.Length} inputs and {y.Length} targets are not the same rows of {inputs} and {outputs}");
        (_x, _y, Inputs, Outputs, Count) = (x, y, inputs, outputs, y.Length / outputs);
        Ranges = InputRanges();
    }

    /// <summary>A store of its own holding these samples.</summary>
    public static DataRows CopyOf(SampleSet set) => new(set.X.ToArray(), set.Y.ToArray(), set.Inputs, set.Outputs);

    public int Count { get; }
    public int Inputs { get; }
    public int Outputs { get; }

    /// <summary>Each input's range over the rows, lo:hi (a constant column gets a unit-wide range around its value).</summary>
    public IReadOnlyList<Interval> Ranges { get; }

    IReadOnlyList<Interval> InputRanges()
    {
        var ranges = new Interval[Inputs];
        for (int j = 0; j < Inputs; j++)
        {
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = j; i < _x.Length; i += Inputs) (lo, hi) = (Math.Min(lo, _x[i]), Math.Max(hi, _x[i]));
            ranges[j] = hi > lo ? new Interval(lo, hi) : new Interval(lo - 0.5, lo + 0.5);
        }
        return ranges;
    }

    /// <summary>Training, validation and test rows: <paramref name="testFraction"/> of the rows, chosen by
    /// <paramref name="testRng"/>, are the test rows; <paramref name="validationFraction"/> of the others, chosen by
    /// <paramref name="validationRng"/>, the validation rows; the rest train. Views of this store for the first shares
    /// asked for; copies for any other. The streams must be the ones <paramref name="seed"/> gives, which is how a
    /// split is known again.</summary>
    public RowSplit Split(double testFraction, double validationFraction, ulong seed, Rng testRng, Rng validationRng)
    {
        lock (_gate)
            if (_arranged is { } known && known.TestFraction == testFraction && known.ValidationFraction == validationFraction && known.Seed == seed)
                return known.Split;
        var (testState, validationState) = (testRng.GetState(), validationRng.GetState());
        var (order, trainingCount, validationCount) = Order(testFraction, validationFraction, testRng, validationRng);
        lock (_gate)
        {
            if (_arranged is not null) // other shares than the ones the rows are arranged for
                return new RowSplit(Select(order.AsSpan(0, trainingCount).ToArray()), Select(order.AsSpan(trainingCount, validationCount).ToArray()),
                    Select(order.AsSpan(trainingCount + validationCount).ToArray()));
            Permute(order);
            var all = new SampleSet(_x, _y, Inputs, Outputs);
            var split = new RowSplit(all.Slice(0, trainingCount), all.Slice(trainingCount, validationCount),
                all.Slice(trainingCount + validationCount, Count - trainingCount - validationCount)) { Rest = all.Slice(0, trainingCount + validationCount) };
            _arranged = new Arrangement(testFraction, validationFraction, seed, testState, validationState, split);
            return split;
        }
    }

    /// <summary>The file row each position holds once split so: the training rows, then the validation rows, then the
    /// test rows, each in the file's order.</summary>
    (int[] Order, int Training, int Validation) Order(double testFraction, double validationFraction, Rng testRng, Rng validationRng)
    {
        var (rest, test) = SampleSet.SplitIndices(Count, testFraction, testRng);
        var (training, validation) = validationFraction > 0
            ? SampleSet.SplitIndices(rest.Length, validationFraction, validationRng)
            : (Enumerable.Range(0, rest.Length).ToArray(), []);
        var order = new int[Count];
        int p = 0;
        foreach (int i in training) order[p++] = rest[i];
        foreach (int i in validation) order[p++] = rest[i];
        foreach (int row in test) order[p++] = row;
        return (order, training.Length, validation.Length);
    }

    /// <summary>The rows outside the test share (as <see cref="Split"/> chooses it), in the file's order: a copy.</summary>
    public SampleSet RestInFileOrder(double testFraction, Rng testRng) => Select(SampleSet.SplitIndices(Count, testFraction, testRng).Remaining);

    /// <summary>Copies of the rows with these file row numbers, in this order.</summary>
    public SampleSet Select(IEnumerable<int> fileRows)
    {
        lock (_gate)
        {
            var positions = fileRows.ToArray();
            if (_arranged is { } a)
            {
                var (arranged, _, _) = Order(a.TestFraction, a.ValidationFraction, Restored(a.TestState), Restored(a.ValidationState));
                var positionOf = new int[Count];
                for (int p = 0; p < Count; p++) positionOf[arranged[p]] = p;
                for (int k = 0; k < positions.Length; k++) positions[k] = positionOf[positions[k]];
            }
            return new SampleSet(_x, _y, Inputs, Outputs).Select(positions);
        }
    }

    static Rng Restored(ulong[] state)
    {
        var rng = new Rng(0);
        rng.SetState(state);
        return rng;
    }

    /// <summary>Moves the rows in place so that position p holds the row now at position order[p]: each cycle of the
    /// permutation is followed once, with one row set aside. The order is used up: a position done is marked by
    /// holding itself.</summary>
    void Permute(int[] order)
    {
        var (x, y) = (new double[Inputs], new double[Outputs]);
        for (int start = 0; start < Count; start++)
        {
            if (order[start] == start) continue;
            _x.AsSpan(start * Inputs, Inputs).CopyTo(x);
            _y.AsSpan(start * Outputs, Outputs).CopyTo(y);
            int to = start;
            while (true)
            {
                int from = order[to];
                order[to] = to;
                if (from == start) break;
                _x.AsSpan(from * Inputs, Inputs).CopyTo(_x.AsSpan(to * Inputs, Inputs));
                _y.AsSpan(from * Outputs, Outputs).CopyTo(_y.AsSpan(to * Outputs, Outputs));
                to = from;
            }
            x.CopyTo(_x.AsSpan(to * Inputs, Inputs));
            y.CopyTo(_y.AsSpan(to * Outputs, Outputs));
        }
    }
}

/// <summary>A data set's rows split for a fit.</summary>
internal sealed record RowSplit(SampleSet Training, SampleSet Validation, SampleSet Test)
{
    SampleSet? _rest;

    /// <summary>The rows outside the test share, training rows first: a view of the one store when they are
    /// consecutive in it, else a copy.</summary>
    public SampleSet Rest
    {
        get => _rest ??= Validation.Count == 0 ? Training : Training.Concat(Validation);
        init => _rest = value;
    }
}
