using System.Numerics;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Networks;

/// <summary>
/// The network: a shape and one flat parameter vector, carved into per-layer views of w (fanOut, fanIn) and
/// b (fanOut). Gradients and optimizer state share the vector's layout, so an update is one loop over it.
/// </summary>
internal sealed class Mlp<T> where T : unmanaged, IFloatingPointIeee754<T>
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

    /// <summary>Runs ws.Input (inputs, n) through every layer, each by the path the workspace's <see cref="KernelPlan{T}"/>
    /// chose; the prediction lands in ws.Output (outputs, n). Where the plan runs segments, the batch's samples may be
    /// reordered first (inputs and targets together).</summary>
    public void Forward(Workspace<T> ws, int n)
    {
        var plan = ws.Plan.ForBatch(n);
        int last = Shape.LayerCount - 1;
        int first = plan.Segments is { } segments
            && segments.Forward(Weights(0), Biases(0), Weights(1), Biases(1), ws.Input, ws.Target, Shape.Outputs, ws.Z[1], ws.A[1], n) ? 2 : 0;
        for (int l = first; l <= last; l++)
        {
            var s = Shape.Slots[l];
            ReadOnlySpan<T> x = ws.LayerInput(l);
            plan.Layer(l).Forward.Run(x[..(s.FanIn * n)], Weights(l), Biases(l), ws.Z[l], ws.A[l], s.FanIn, s.FanOut, n);
            if (l < last && ws.DropoutRate > 0) Drop(ws, l, s.FanOut * n);
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
    /// gradient (same layout as the parameters), each layer by its planned path. Call after <see cref="Forward"/> on
    /// the same batch. Each layer's backward pass hands the layer below its delta; a first layer with one input gets
    /// its whole backward pass there too (its weight gradient is a sum over the batch, made while its delta is computed).
    /// </summary>
    public void Backward(Workspace<T> ws, int n, Span<T> gradient)
    {
        var plan = ws.Plan.ForBatch(n);
        int last = Shape.LayerCount - 1;
        int outputs = Shape.Slots[last].FanOut * n;
        plan.OutputDelta.Run(ws.Delta[last].AsSpan(0, outputs), ws.Z[last], ws.A[last], Biases(gradient, last), Shape.Slots[last].FanOut, n);
        for (int l = last; l >= 0; l--)
        {
            if (l == 1 && plan.Segments is { Active: true } segments)
            {
                // layer 1's dw and layer 0's gradients, from its delta
                segments.Backward(ws.Input, ws.Delta[1], Weights(1), Weights(gradient, 1), Weights(gradient, 0), Biases(gradient, 0), n);
                break;
            }
            if (plan.Layer(l).Backward is not { } pass) break; // made in the layer above's pass
            var s = Shape.Slots[l];
            bool fusesBelow = l > 0 && plan.Layer(l - 1).BackwardPath == BackwardPath.InLayerAbove;
            pass.Run(ws.Delta[l], ws.LayerInput(l).AsSpan(0, s.FanIn * n), Weights(l), Weights(gradient, l), s.FanIn, s.FanOut, n,
                l == 0 ? LayerBelow<T>.None : Below(ws, l - 1, n, gradient, fusesBelow));
        }
    }

    // What the backward pass of the layer above needs of layer l, the layer below it.
    LayerBelow<T> Below(Workspace<T> ws, int l, int n, Span<T> gradient, bool fuseWeights)
    {
        int count = Shape.Slots[l].FanOut * n;
        return new LayerBelow<T>(ws.Delta[l].AsSpan(0, count), ws.Z[l].AsSpan(0, count), ws.A[l].AsSpan(0, count),
            Biases(gradient, l), ws.DropoutRate > 0 ? ws.Mask[l].AsSpan(0, count) : default,
            fuseWeights ? ws.Input.AsSpan(0, n) : default, fuseWeights ? Weights(gradient, l) : default,
            fuseWeights ? Weights(l) : default, fuseWeights ? Biases(l) : default);
    }

    public Mlp<T> Clone() => new(Shape, (T[])Parameters.Clone());
}
