namespace NeuralFit.Networks;

/// <summary>One dense layer's place in the flat parameter vector: w (fanOut, fanIn) row-major, then b (fanOut).</summary>
internal readonly record struct DenseSlot(int FanIn, int FanOut, int WeightOffset)
{
    public int WeightCount => FanIn * FanOut;
    public int BiasOffset => WeightOffset + WeightCount;
    public int End => BiasOffset + FanOut;
}

/// <summary>
/// A fully connected network: inputs → hidden widths (each followed by the activation) → a linear output.
/// </summary>
internal sealed class NetworkShape
{
    public NetworkShape(int inputs, IReadOnlyList<int> hidden, int outputs, Activation activation)
    {
        if (inputs < 1 || outputs < 1 || hidden.Any(w => w < 1))
            throw new InputError("every layer needs at least one unit");
        Inputs = inputs;
        Hidden = hidden.ToArray();
        Outputs = outputs;
        Activation = activation;
        var widths = Widths;
        Slots = new DenseSlot[widths.Count - 1];
        long offset = 0;
        for (int l = 0; l < Slots.Length; l++)
        {
            Slots[l] = new DenseSlot(widths[l], widths[l + 1], (int)offset);
            offset += (long)widths[l] * widths[l + 1] + widths[l + 1];
            if (offset > int.MaxValue) throw new InputError($"the network has {offset:N0}+ parameters, more than NeuralFit holds");
        }
        ParameterCount = (int)offset;
    }

    public int Inputs { get; }
    public int[] Hidden { get; }
    public int Outputs { get; }
    public Activation Activation { get; }

    /// <summary>Dense layers in order; the last is the linear output layer.</summary>
    public DenseSlot[] Slots { get; }
    public int ParameterCount { get; }
    public int LayerCount => Slots.Length;
    public int MaxWidth => Widths.Max();

    /// <summary>Inputs, every hidden width, outputs: e.g. [1, 50, 10, 1].</summary>
    public IReadOnlyList<int> Widths => [Inputs, .. Hidden, Outputs];

    public override string ToString() => string.Join("-", Widths);

    /// <summary>Multiply-adds in one forward pass per sample.</summary>
    public long MultiplyAddsPerSample => Slots.Sum(s => (long)s.WeightCount);
}
