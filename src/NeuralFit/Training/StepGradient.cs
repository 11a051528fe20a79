using System.Numerics;
using NeuralFit.Networks;

namespace NeuralFit.Training;

/// <summary>
/// One step's gradient on the batch in a workspace: forward, the loss's gradient at the output, backward. Written
/// once, for a whole batch (<see cref="TrainingSession{T}"/>) and for each data-parallel chunk (<see cref="DataParallel{T}"/>).
/// </summary>
internal static class StepGradient
{
    // ws: x, y (n samples) -> gradient (the parameters' layout) = ∂(scale/2 · Σ r²)/∂θ, cleared first; returns Σ r²
    // (r = prediction − target, each r² rounded in T, summed in double). The mean squared error's scale is 2 / (n·outputs).
    public static double Run<T>(Mlp<T> network, Workspace<T> ws, int n, Span<T> gradient, T scale) where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradient.Clear();
        network.Forward(ws, n);
        int outputs = n * network.Shape.Outputs;
        double sumOfSquares = MeanSquaredError.SumAndGradient<T>(ws.Output.AsSpan(0, outputs), ws.Target.AsSpan(0, outputs),
            ws.Delta[^1].AsSpan(0, outputs), scale);
        network.Backward(ws, n, gradient);
        return sumOfSquares;
    }
}
