using System.Numerics;

namespace NeuralFit.Training.Optimizers;

/// <summary>
/// RMSprop as torch.optim.RMSprop (https://pytorch.org/docs/stable/generated/torch.optim.RMSprop.html), not
/// centred, no momentum: g ← g + λθ; v ← αv + (1 − α)g²; θ ← θ − γ g / (√v + ε).
/// </summary>
internal sealed class RmsProp<T>(int parameterCount, double alpha = 0.99, double epsilon = 1e-8, double weightDecay = 0)
    : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly T[] _squareAverage = new T[parameterCount];

    public long StepCount { get; private set; }
    public IReadOnlyList<T[]> StateVectors => [_squareAverage];
    public void RestoreStepCount(long steps) => StepCount = steps;

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        T lr = T.CreateChecked(learningRate), a = T.CreateChecked(alpha), oneMinusA = T.CreateChecked(1 - alpha);
        T eps = T.CreateChecked(epsilon), wd = T.CreateChecked(weightDecay);
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradient[i] + wd * parameters[i];
            T v = a * _squareAverage[i] + oneMinusA * g * g;
            _squareAverage[i] = v;
            parameters[i] -= lr * g / (T.Sqrt(v) + eps);
        }
        StepCount++;
    }
}
