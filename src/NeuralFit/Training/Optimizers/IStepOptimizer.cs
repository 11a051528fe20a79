using System.Numerics;

namespace NeuralFit.Training.Optimizers;

/// <summary>
/// A first-order optimizer: given the gradient at the current parameters, moves them one step. Its state vectors
/// share the parameter vector's layout. Whole-batch solvers (L-BFGS, Levenberg–Marquardt) have their own
/// interfaces, because they need the objective itself, not one gradient.
/// </summary>
internal interface IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate);

    /// <summary>Steps taken so far.</summary>
    long StepCount { get; }

    /// <summary>The state vectors (momentum, moment estimates), for checkpoints.</summary>
    IReadOnlyList<T[]> StateVectors { get; }

    void RestoreStepCount(long steps);
}

/// <summary>Hyper-parameters of the step optimizers; defaults are PyTorch's.</summary>
internal sealed record StepOptimizerOptions
{
    public double Momentum { get; init; } = 0.9;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Epsilon { get; init; } = 1e-8;
    public double Alpha { get; init; } = 0.99;
    public double WeightDecay { get; init; }
}
