using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralFit.Training.Optimizers;

/// <summary>
/// Adam and AdamW, as torch.optim.Adam (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html) and
/// torch.optim.AdamW (https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html), without amsgrad:
/// Adam adds λθ to the gradient; AdamW instead shrinks θ ← θ(1 − γλ) first. Then
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; θ ← θ − (γ / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε).
/// One pass over the flat vector, vectorised.
/// </summary>
internal sealed class Adam<T> : IStepOptimizer<T> where T : unmanaged, IFloatingPointIeee754<T>
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
        int i = 0;
        if (Vector256.IsHardwareAccelerated && parameters.Length >= Vector256<T>.Count)
            i = StepVector256(parameters, gradient, stepSize, invCorrection2Sqrt, b1, oneMinusB1, b2, oneMinusB2, eps, l2, shrink);
        for (; i < parameters.Length; i++)
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

    /// <summary>
    /// The same update eight (float) or four (double) parameters at a time, with exactly the scalar loop's
    /// operations in its order (no fused multiply-adds), so results are bit-identical to it and stay PyTorch-exact.
    /// Returns how many parameters it updated; the scalar loop does the rest.
    /// </summary>
    int StepVector256(Span<T> parameters, ReadOnlySpan<T> gradient, T stepSize, T invCorrection2Sqrt,
        T b1, T oneMinusB1, T b2, T oneMinusB2, T eps, T l2, T shrink)
    {
        var (vStep, vInv, vB1, vOneMinusB1) = (Vector256.Create(stepSize), Vector256.Create(invCorrection2Sqrt), Vector256.Create(b1), Vector256.Create(oneMinusB1));
        var (vB2, vOneMinusB2, vEps, vL2, vShrink) = (Vector256.Create(b2), Vector256.Create(oneMinusB2), Vector256.Create(eps), Vector256.Create(l2), Vector256.Create(shrink));
        ref T pr = ref MemoryMarshal.GetReference(parameters);
        ref T gr = ref MemoryMarshal.GetReference(gradient);
        ref T mr = ref MemoryMarshal.GetArrayDataReference(_m);
        ref T vr = ref MemoryMarshal.GetArrayDataReference(_v);
        int count = Vector256<T>.Count, end = parameters.Length - parameters.Length % count;
        for (nuint i = 0; i < (nuint)end; i += (nuint)count)
        {
            var theta = Vector256.LoadUnsafe(ref pr, i);
            var p = theta * vShrink;
            var g = Vector256.LoadUnsafe(ref gr, i) + vL2 * theta;
            var m = vB1 * Vector256.LoadUnsafe(ref mr, i) + vOneMinusB1 * g;
            var v = vB2 * Vector256.LoadUnsafe(ref vr, i) + vOneMinusB2 * g * g;
            m.StoreUnsafe(ref mr, i);
            v.StoreUnsafe(ref vr, i);
            (p - vStep * m / (Vector256.Sqrt(v) * vInv + vEps)).StoreUnsafe(ref pr, i);
        }
        return end;
    }
}
