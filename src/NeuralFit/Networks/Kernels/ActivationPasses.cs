using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// The element-wise work of a dense layer that is not fused into its matrix products: the forward activations
/// that need exp, erf or sin, and, on the way back, dz = dL/da ∘ f'(z) together with the bias gradient
/// db += Σ dz in the same pass over each row.
/// </summary>
public static class ActivationPasses<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    // z (count) -> a (count) = f(z), for the activations the matmul epilogue does not apply
    public static void Forward(Activation act, ReadOnlySpan<T> z, Span<T> a)
    {
        if (z.IsEmpty) return; // TensorPrimitives refuses empty spans
        switch (act)
        {
            // TensorPrimitives has vectorised exp-based kernels for these two (within a few ulps of the scalar math).
            case Activation.Tanh: TensorPrimitives.Tanh(z, a); break;
            case Activation.Sigmoid: TensorPrimitives.Sigmoid(z, a); break;
            case Activation.Elu: ForwardScalar<Elu<T>>(z, a); break;
            case Activation.Gelu: ForwardScalar<Gelu<T>>(z, a); break;
            case Activation.Silu: ForwardScalar<Silu<T>>(z, a); break;
            case Activation.Softplus: ForwardScalar<Softplus<T>>(z, a); break;
            case Activation.Sine: ForwardScalar<Sine<T>>(z, a); break;
            default: throw new ArgumentOutOfRangeException(nameof(act), act, "fused into the matmul epilogue");
        }
    }

    static void ForwardScalar<TAct>(ReadOnlySpan<T> z, Span<T> a) where TAct : struct, IActivation<T>
    {
        for (int i = 0; i < z.Length; i++) a[i] = TAct.Forward(z[i]);
    }

    // dz (nOut, n): in dL/da, out dL/dz = dL/da ∘ f'(z, a); z, a (nOut, n) -> db (nOut) += Σ_i dz
    public static void Backward(Activation act, Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
    {
        switch (act)
        {
            case Activation.Relu: Backward<ReluDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.LeakyRelu: Backward<LeakyReluDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Tanh: Backward<TanhDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Sigmoid: Backward<SigmoidDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Linear: Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            // exp, erf, cos: scale dz in scalar code first, then sum it like a linear layer
            case Activation.Elu: Scale<Elu<T>>(dz, z, a, nOut * n); Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Gelu: Scale<Gelu<T>>(dz, z, a, nOut * n); Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Silu: Scale<Silu<T>>(dz, z, a, nOut * n); Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Softplus: Scale<Softplus<T>>(dz, z, a, nOut * n); Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            case Activation.Sine: Scale<Sine<T>>(dz, z, a, nOut * n); Backward<NoDerivative<T>>(dz, z, a, db, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    static void Scale<TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, int count) where TAct : struct, IActivation<T>
    {
        for (int i = 0; i < count; i++) dz[i] *= TAct.Derivative(z[i], a[i]);
    }

    static void Backward<TDer>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) where TDer : struct, IDerivative<T>
    {
        if (dz.Length < nOut * n || z.Length < nOut * n || a.Length < nOut * n || db.Length < nOut)
            throw new ArgumentException("buffers shorter than the layer");
        int v = TOps.Count;
        ref T dzr = ref MemoryMarshal.GetReference(dz);
        ref T zr = ref MemoryMarshal.GetReference(z);
        ref T ar = ref MemoryMarshal.GetReference(a);
        for (int o = 0; o < nOut; o++)
        {
            nint row = (nint)o * n;
            TVec sum = TOps.Zero;
            int i = 0;
            for (; i <= n - v; i += v)
            {
                ref T g = ref Unsafe.Add(ref dzr, row + i);
                TVec zv = TDer.ReadsZ ? TOps.Load(ref Unsafe.Add(ref zr, row + i)) : TOps.Zero;
                TVec av = TDer.ReadsA ? TOps.Load(ref Unsafe.Add(ref ar, row + i)) : TOps.Zero;
                TVec d = TDer.Times<TVec, TOps>(TOps.Load(ref g), zv, av);
                if (typeof(TDer) != typeof(NoDerivative<T>)) TOps.Store(d, ref g);
                sum = TOps.Add(sum, d);
            }
            T total = TOps.Sum(sum);
            for (; i < n; i++)
            {
                ref T g = ref Unsafe.Add(ref dzr, row + i);
                g = TDer.Times<T, ScalarOps<T>>(g, Unsafe.Add(ref zr, row + i), Unsafe.Add(ref ar, row + i));
                total += g;
            }
            db[o] += total;
        }
    }
}
