namespace NeuralFit.Sampling;

/// <summary>Samples in the user's units: inputs row-major (Count, Inputs) and one target per sample.</summary>
internal sealed record SampleSet(double[] X, double[] Y, int Inputs)
{
    public int Count => Y.Length;

    public static SampleSet Empty(int inputs) => new([], [], inputs);

    public ReadOnlySpan<double> Row(int i) => X.AsSpan(i * Inputs, Inputs);

    /// <summary>The samples whose target is finite, and how many were dropped.</summary>
    public (SampleSet Finite, int Dropped) WithoutNonFinite()
    {
        int kept = Y.Count(double.IsFinite);
        if (kept == Count) return (this, 0);
        var x = new double[kept * Inputs];
        var y = new double[kept];
        for (int i = 0, j = 0; i < Count; i++)
        {
            if (!double.IsFinite(Y[i])) continue;
            Row(i).CopyTo(x.AsSpan(j * Inputs, Inputs));
            y[j++] = Y[i];
        }
        return (new SampleSet(x, y, Inputs), Count - kept);
    }

    /// <summary>Splits off a random share of the samples (e.g. for validation); the rest keep their order.</summary>
    public (SampleSet Remaining, SampleSet Split) SplitOff(double fraction, Rng rng)
    {
        int take = (int)Math.Round(fraction * Count);
        if (take == 0) return (this, Empty(Inputs));
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
        var y = new double[list.Length];
        for (int j = 0; j < list.Length; j++)
        {
            Row(list[j]).CopyTo(x.AsSpan(j * Inputs, Inputs));
            y[j] = Y[list[j]];
        }
        return new SampleSet(x, y, Inputs);
    }
}
