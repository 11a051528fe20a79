namespace NeuralFit.Sampling;

/// <summary>Samples in the user's units: inputs row-major (Count, Inputs) and targets row-major (Count, Outputs),
/// one target per sample unless the problem has several outputs.</summary>
internal sealed record SampleSet(double[] X, double[] Y, int Inputs)
{
    /// <summary>Samples with <paramref name="outputs"/> targets each, y row-major (n, outputs).</summary>
    public SampleSet(double[] x, double[] y, int inputs, int outputs) : this(x, y, inputs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        if (y.Length % outputs != 0) throw new ArgumentException($"{y.Length} targets are not rows of {outputs}", nameof(y));
        Outputs = outputs;
    }

    /// <summary>Targets per sample.</summary>
    public int Outputs { get; } = 1;

    public int Count => Y.Length / Outputs;

    public static SampleSet Empty(int inputs, int outputs = 1) => new([], [], inputs, outputs);

    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * Inputs, Inputs);

    /// <summary>Sample i's targets, one per output.</summary>
    public ReadOnlySpan<double> Targets(int i) => Y.AsSpan(i * Outputs, Outputs);

    /// <summary>Output k's target of every sample.</summary>
    public double[] Column(int k)
    {
        if (Outputs == 1) return Y;
        var c = new double[Count];
        for (int i = 0; i < c.Length; i++) c[i] = Y[i * Outputs + k];
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
        int take = (int)Math.Round(fraction * Count);
        if (take == 0) return (this, Empty(Inputs, Outputs));
        var order = Enumerable.Range(0, Count).ToArray();
        rng.Shuffle(order);
        var chosen = order.Take(take).Order().ToArray();
        var isChosen = new bool[Count];
        foreach (int i in chosen) isChosen[i] = true;
        return (Select(Enumerable.Range(0, Count).Where(i => !isChosen[i])), Select(chosen));
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
    public SampleSet Concat(SampleSet more) => new([.. X, .. more.X], [.. Y, .. more.Y], Inputs, Outputs);
}
