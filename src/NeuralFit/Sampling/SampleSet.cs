namespace NeuralFit.Sampling;

/// <summary>Samples in the user's units: inputs row-major (Count, Inputs) and targets row-major (Count, Outputs),
/// one target per sample unless the problem has several outputs. X and Y may be parts of larger arrays: a data file's
/// training, validation and test rows are consecutive runs of one store (<see cref="Targets.Datasets.DataRows"/>),
/// so a split copies no row.</summary>
internal sealed record SampleSet(ReadOnlyMemory<double> X, ReadOnlyMemory<double> Y, int Inputs)
{
    /// <summary>Samples with <paramref name="outputs"/> targets each, y row-major (n, outputs).</summary>
    public SampleSet(ReadOnlyMemory<double> x, ReadOnlyMemory<double> y, int inputs, int outputs) : this(x, y, inputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (y.Length % outputs != 0) throw new ArgumentException($"{y.Length} targets are not rows of {outputs}", nameof(y));
        Outputs = outputs;
    }

    /// <summary>Targets per sample.</summary>
    public int Outputs { get; } = 1;

    public int Count => Y.Length / Outputs;

    public static SampleSet Empty(int inputs, int outputs = 1) => new(ReadOnlyMemory<double>.Empty, ReadOnlyMemory<double>.Empty, inputs, outputs);

    public ReadOnlySpan<double> Row(int i) => X.Span.Slice(i * Inputs, Inputs);

    /// <summary>Sample i's targets, one per output.</summary>
    public ReadOnlySpan<double> Targets(int i) => Y.Span.Slice(i * Outputs, Outputs);

    /// <summary>Samples [start, start + count), sharing these samples' arrays.</summary>
    public SampleSet Slice(int start, int count) =>
        new(X.Slice(start * Inputs, count * Inputs), Y.Slice(start * Outputs, count * Outputs), Inputs, Outputs);

    /// <summary>Output k's target of every sample.</summary>
    public ReadOnlyMemory<double> Column(int k)
    {
        if (Outputs == 1) return Y;
        var y = Y.Span;
        var c = new double[Count];
        for (int i = 0; i < c.Length; i++) c[i] = y[i * Outputs + k];
        return c;
    }

    /// <summary>The same inputs with output k's targets alone.</summary>
    public SampleSet Output(int k) => Outputs == 1 ? this : new SampleSet(X, Column(k), Inputs);

    bool AllFinite(int i)
    {
        foreach (double y in Targets(i))
            if (!double.IsFinite(y)) return false;
        return true;
    }

    /// <summary>The samples whose targets are all finite, and how many were dropped.</summary>
    public (SampleSet Finite, int Dropped) WithoutNonFinite()
    {
        var kept = Enumerable.Range(0, Count).Where(AllFinite).ToArray();
        return kept.Length == Count ? (this, 0) : (Select(kept), Count - kept.Length);
    }

    /// <summary>Splits off a random share of the samples (e.g. for validation); the rest keep their order.</summary>
    public (SampleSet Remaining, SampleSet Split) SplitOff(double fraction, Rng rng)
    {
        var (remaining, chosen) = SplitIndices(Count, fraction, rng);
        return chosen.Length == 0 ? (this, Empty(Inputs, Outputs)) : (Select(remaining), Select(chosen));
    }

    /// <summary>The positions <see cref="SplitOff"/> keeps and splits off, each in increasing order: a random
    /// <paramref name="fraction"/> of <paramref name="count"/> (rounded) chosen by <paramref name="rng"/>.</summary>
    public static (int[] Remaining, int[] Chosen) SplitIndices(int count, double fraction, Rng rng)
    {
        int take = (int)Math.Round(fraction * count);
        if (take == 0) return (Enumerable.Range(0, count).ToArray(), []);
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        var isChosen = new bool[count];
        foreach (int i in order.AsSpan(0, take)) isChosen[i] = true;
        var (remaining, chosen) = (new int[count - take], new int[take]);
        for (int i = 0, r = 0, c = 0; i < count; i++)
            if (isChosen[i]) chosen[c++] = i;
            else remaining[r++] = i;
        return (remaining, chosen);
    }

    /// <summary>The positions <see cref="SplitIndices"/> splits off, alone: the same shuffle, without the positions
    /// kept (a subsample of a million rows would make 3 MB of them only to drop them).</summary>
    public static int[] ChosenIndices(int count, double fraction, Rng rng)
    {
        int take = (int)Math.Round(fraction * count);
        if (take == 0) return [];
        var order = Enumerable.Range(0, count).ToArray();
        rng.Shuffle(order);
        var chosen = order.AsSpan(0, take).ToArray();
        Array.Sort(chosen);
        return chosen;
    }

    public SampleSet Select(IEnumerable<int> indices)
    {
        var list = indices.ToArray();
        var x = new double[list.Length * Inputs];
        var y = new double[list.Length * Outputs];
        for (int j = 0; j < list.Length; j++)
        {
            Row(list[j]).CopyTo(x.AsSpan(j * Inputs, Inputs));
            Targets(list[j]).CopyTo(y.AsSpan(j * Outputs, Outputs));
        }
        return new SampleSet(x, y, Inputs, Outputs);
    }

    /// <summary>These samples followed by <paramref name="more"/>'s.</summary>
    public SampleSet Concat(SampleSet more) => new(Concat(X.Span, more.X.Span), Concat(Y.Span, more.Y.Span), Inputs, Outputs);

    static double[] Concat(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => [.. a, .. b];
}
