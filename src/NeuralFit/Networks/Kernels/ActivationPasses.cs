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
            case Activation.Relu: Backward<ReluDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.LeakyRelu: Backward<LeakyReluDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Tanh: Backward<TanhDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Sigmoid: Backward<SigmoidDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Linear: Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            // exp, erf, cos: scale dz in scalar code first, then sum it like a linear layer
            case Activation.Elu: Scale<Elu<T>>(dz, z, a, nOut * n); Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Gelu: Scale<Gelu<T>>(dz, z, a, nOut * n); Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Silu: Scale<Silu<T>>(dz, z, a, nOut * n); Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Softplus: Scale<Softplus<T>>(dz, z, a, nOut * n); Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            case Activation.Sine: Scale<Sine<T>>(dz, z, a, nOut * n); Backward<NoDerivative>(dz, z, a, db, nOut, n); break;
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    static void Scale<TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, int count) where TAct : struct, IActivation<T>
    {
        for (int i = 0; i < count; i++) dz[i] *= TAct.Derivative(z[i], a[i]);
    }

    static void Backward<TDer>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) where TDer : struct, IDerivative
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
                TVec d = TDer.Times<TVec, TOps>(TOps.Load(ref g), TOps.Load(ref Unsafe.Add(ref zr, row + i)), TOps.Load(ref Unsafe.Add(ref ar, row + i)));
                if (typeof(TDer) != typeof(NoDerivative)) TOps.Store(d, ref g);
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

    /// <summary>g ∘ f'(z, a), computed with exactly the operations of the scalar derivative in Activations.cs.</summary>
    interface IDerivative
    {
        static abstract TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T>;
    }

    readonly struct ReluDerivative : IDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
            TO.Multiply(g, TO.SelectPositive(z, TO.Broadcast(T.One), TO.Zero));
    }

    readonly struct LeakyReluDerivative : IDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
            TO.Multiply(g, TO.SelectPositive(z, TO.Broadcast(T.One), TO.Broadcast(FusedLeakyRelu<T>.Slope)));
    }

    readonly struct TanhDerivative : IDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
            TO.Multiply(g, TO.Subtract(TO.Broadcast(T.One), TO.Multiply(a, a)));
    }

    readonly struct SigmoidDerivative : IDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
            TO.Multiply(g, TO.Multiply(a, TO.Subtract(TO.Broadcast(T.One), a)));
    }

    /// <summary>Linear layers, and activations whose derivative was applied in scalar code: dz is left as it is.</summary>
    readonly struct NoDerivative : IDerivative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> => g;
    }
}
