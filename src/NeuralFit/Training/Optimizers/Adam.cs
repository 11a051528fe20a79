using System.Numerics;

namespace NeuralFit.Training.Optimizers;

/// <summary>
/// Adam and AdamW, as torch.optim.Adam (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html) and
/// torch.optim.AdamW (https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html), without amsgrad:
/// Adam adds λθ to the gradient; AdamW instead shrinks θ ← θ(1 − γλ) first. Then
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − (γ / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε).
/// One pass over the flat vector.
/// </summary>
public sealed class Adam<T> : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly double _beta1, _beta2, _epsilon, _weightDecay;
    readonly bool _decoupled;
    readonly T[] _m, _v;

    public Adam(int parameterCount, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
        double weightDecay = 0, bool decoupledWeightDecay = false)
    {
        (_beta1, _beta2, _epsilon, _weightDecay, _decoupled) = (beta1, beta2, epsilon, weightDecay, decoupledWeightDecay);
        _m = new T[parameterCount];
        _v = new T[parameterCount];
    }

    public long StepCount { get; private set; }
    public IReadOnlyList<T[]> StateVectors => [_m, _v];
    public void RestoreStepCount(long steps) => StepCount = steps;

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(_beta1, StepCount);
        double correction2Sqrt = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        T stepSize = T.CreateChecked(learningRate / correction1);
        T invCorrection2Sqrt = T.CreateChecked(1 / correction2Sqrt);
        T b1 = T.CreateChecked(_beta1), oneMinusB1 = T.CreateChecked(1 - _beta1);
        T b2 = T.CreateChecked(_beta2), oneMinusB2 = T.CreateChecked(1 - _beta2);
        T eps = T.CreateChecked(_epsilon);
        T l2 = T.CreateChecked(_decoupled ? 0 : _weightDecay);
        T shrink = T.CreateChecked(_decoupled ? 1 - learningRate * _weightDecay : 1);
        for (int i = 0; i < parameters.Length; i++)
        {
            T p = parameters[i] * shrink;
            T g = gradient[i] + l2 * parameters[i];
            T m = b1 * _m[i] + oneMinusB1 * g;
            T v = b2 * _v[i] + oneMinusB2 * g * g;
            _m[i] = m;
            _v[i] = v;
            parameters[i] = p - stepSize * m / (T.Sqrt(v) * invCorrection2Sqrt + eps);
        }
    }
}
