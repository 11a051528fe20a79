using System.Numerics;

namespace NeuralFit.Training.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum and Nesterov momentum, exactly as torch.optim.SGD
/// (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html), dampening 0:
/// g ← g + λθ; b ← g on the first step, else μb + g; then g ← g + μb (Nesterov) or g ← b; θ ← θ − γg.
/// </summary>
internal sealed class Sgd<T> : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly double _momentum, _weightDecay;
    readonly bool _nesterov;
    readonly T[] _buffer;

    public Sgd(int parameterCount, double momentum = 0, bool nesterov = false, double weightDecay = 0)
    {
        _momentum = momentum;
        _nesterov = nesterov;
        _weightDecay = weightDecay;
        _buffer = momentum != 0 ? new T[parameterCount] : [];
    }

    public long StepCount { get; private set; }
    public IReadOnlyList<T[]> StateVectors => _momentum != 0 ? [_buffer] : [];
    public void RestoreStepCount(long steps) => StepCount = steps;

    public void Step(Span<T> parameters, ReadOnlySpan<T> gradient, double learningRate)
    {
        T lr = T.CreateChecked(learningRate), mu = T.CreateChecked(_momentum), wd = T.CreateChecked(_weightDecay);
        bool first = StepCount == 0;
        for (int i = 0; i < parameters.Length; i++)
        {
            T g = gradient[i] + wd * parameters[i];
            if (_momentum != 0)
            {
                T b = first ? g : mu * _buffer[i] + g;
                _buffer[i] = b;
                g = _nesterov ? g + mu * b : b;
            }
            parameters[i] -= lr * g;
        }
        StepCount++;
    }
}
