using System.Numerics;

namespace NeuralFit.Networks;

/// <summary>
/// The network: a shape and one flat parameter vector, carved into per-layer views of w (fanOut, fanIn) and
/// b (fanOut). Gradients and optimizer state share the vector's layout, so an update is one loop over it.
/// </summary>
public sealed class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public Mlp(NetworkShape shape, T[]? parameters = null)
    {
        Shape = shape;
        Parameters = parameters ?? new T[shape.ParameterCount];
        if (Parameters.Length != shape.ParameterCount)
            throw new ArgumentException($"expected {shape.ParameterCount} parameters, got {Parameters.Length}");
    }

    public NetworkShape Shape { get; }
    public T[] Parameters { get; }

    public Span<T> Weights(int layer) => Weights(Parameters, layer);
    public Span<T> Biases(int layer) => Biases(Parameters, layer);

    /// <summary>Layer l's w within any vector of the parameters' layout (parameters, gradient, optimizer state).</summary>
    public Span<T> Weights(Span<T> vector, int layer) => vector.Slice(Shape.Slots[layer].WeightOffset, Shape.Slots[layer].WeightCount);
    public Span<T> Biases(Span<T> vector, int layer) => vector.Slice(Shape.Slots[layer].BiasOffset, Shape.Slots[layer].FanOut);

    /// <summary>Runs ws.Input (inputs, n) through every layer; the prediction lands in ws.Output (outputs, n).</summary>
    public void Forward(Workspace<T> ws, int n)
    {
        for (int l = 0; l < Shape.LayerCount; l++)
        {
            var s = Shape.Slots[l];
            ReadOnlySpan<T> x = ws.LayerInput(l);
            bool hidden = l < Shape.LayerCount - 1;
            var act = hidden ? Shape.Activation : Activation.Linear;
            LayerKernels<T>.Forward(act, x[..(s.FanIn * n)], Weights(l), Biases(l), ws.Z[l], ws.A[l], s.FanIn, s.FanOut, n);
            if (hidden && ws.DropoutRate > 0) Drop(ws, l, s.FanOut * n);
        }
    }

    // a (width, n) -> mask (width, n), dropped = a ∘ mask
    static void Drop(Workspace<T> ws, int l, int count)
    {
        var rng = ws.DropoutRng!;
        double rate = ws.DropoutRate;
        T keep = T.CreateChecked(1 / (1 - rate));
        var (a, mask, dropped) = (ws.A[l], ws.Mask[l], ws.Dropped[l]);
        for (int i = 0; i < count; i++)
        {
            mask[i] = rng.NextDouble() < rate ? T.Zero : keep;
            dropped[i] = a[i] * mask[i];
        }
    }

    /// <summary>
    /// Back-propagates ws.Delta[last] = dL/d(output) (outputs, n) through the network, accumulating into
    /// gradient (same layout as the parameters). Call after <see cref="Forward"/> on the same batch.
    /// </summary>
    public void Backward(Workspace<T> ws, int n, Span<T> gradient)
    {
        for (int l = Shape.LayerCount - 1; l >= 0; l--)
        {
            var s = Shape.Slots[l];
            ReadOnlySpan<T> x = ws.LayerInput(l);
            Span<T> dx = l == 0 ? Span<T>.Empty : ws.Delta[l - 1].AsSpan(0, s.FanIn * n);
            var act = l == Shape.LayerCount - 1 ? Activation.Linear : Shape.Activation;
            LayerKernels<T>.Backward(act, ws.Delta[l], ws.Z[l], ws.A[l], x[..(s.FanIn * n)], Weights(l),
                Weights(gradient, l), Biases(gradient, l), dx, s.FanIn, s.FanOut, n);
            if (l > 0 && ws.DropoutRate > 0)
            {
                var mask = ws.Mask[l - 1];
                for (int i = 0; i < dx.Length; i++) dx[i] *= mask[i]; // d(a ∘ mask)/da = mask
            }
        }
    }

    public Mlp<T> Clone() => new(Shape, (T[])Parameters.Clone());
}
