using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The element-wise work of a dense layer that is not fused into its matrix products: the forward activations
/// that need exp, erf or sin (tanh and sigmoid with NeuralFit's own vector forms, the others a lane at a time), and, on the way back, dz = dL/da ∘ f'(z) together with the bias gradient
/// db += Σ dz in the same pass over each row.
/// </summary>
internal static class ActivationPasses<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    // z (count) -> a (count) = f(z), for the activations the product's epilogue does not apply; z and a may be one buffer.
    // An activation with a vector form goes a vector at a time, its last few elements in one lane each: its lanes give
    // the same bits at every width, so the result depends on each element's value alone, never on its index or address.
    public static void Forward<TAct>(ReadOnlySpan<T> z, Span<T> a) where TAct : struct, IActivation<T>
    {
        if (a.Length < z.Length) throw new ArgumentException("a is shorter than z");
        int i = 0;
        if (TAct.FusesIntoProducts || TAct.HasLongForwardVector)
        {
            ref T zr = ref MemoryMarshal.GetReference(z);
            ref T ar = ref MemoryMarshal.GetReference(a);
            for (; i <= z.Length - TOps.Count; i += TOps.Count)
                TOps.Store(TAct.ForwardVector<TVec, TOps>(TOps.Load(ref Unsafe.Add(ref zr, i))), ref Unsafe.Add(ref ar, i));
        }
        for (; i < z.Length; i++) a[i] = TAct.Forward(z[i]);
    }

    // dz (nOut, n): in dL/da, out dL/dz = dL/da ∘ f'(z, a); z, a (nOut, n) -> db (nOut) += Σ_i dz
    public static void Backward<TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n)
        where TAct : struct, IActivation<T>
    {
        if (TAct.HasVectorDerivative)
        {
            ScaleAndSum<TAct>(dz, z, a, db, nOut, n);
            return;
        }
        // exp, erf, cos: scale dz in scalar code first, then sum it like a linear layer
        for (int i = 0; i < nOut * n; i++) dz[i] *= TAct.Derivative(z[i], a[i]);
        ScaleAndSum<Identity<T>>(dz, z, a, db, nOut, n);
    }

    static void ScaleAndSum<TAct>(Span<T> dz, ReadOnlySpan<T> z, ReadOnlySpan<T> a, Span<T> db, int nOut, int n) where TAct : struct, IActivation<T>
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
                TVec zv = TAct.DerivativeReadsZ ? TOps.Load(ref Unsafe.Add(ref zr, row + i)) : TOps.Zero;
                TVec av = TAct.DerivativeReadsA ? TOps.Load(ref Unsafe.Add(ref ar, row + i)) : TOps.Zero;
                TVec d = TAct.TimesDerivativeVector<TVec, TOps>(TOps.Load(ref g), zv, av);
                if (typeof(TAct) != typeof(Identity<T>)) TOps.Store(d, ref g);
                sum = TOps.Add(sum, d);
            }
            T total = TOps.Sum(sum);
            for (; i < n; i++)
            {
                ref T g = ref Unsafe.Add(ref dzr, row + i);
                g = TAct.TimesDerivativeVector<T, ScalarOps<T>>(g, Unsafe.Add(ref zr, row + i), Unsafe.Add(ref ar, row + i));
                total += g;
            }
            db[o] += total;
        }
    }
}
