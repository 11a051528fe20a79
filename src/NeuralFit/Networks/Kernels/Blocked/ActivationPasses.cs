using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// The element-wise work of a dense layer that is not fused into its matrix products: the forward activations
/// that need exp, erf or sin, and, on the way back, dz = dL/da ∘ f'(z) together with the bias gradient
/// db += Σ dz in the same pass over each row.
/// </summary>
internal static class ActivationPasses<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    /// <summary>
    /// |z| up to which the row kernels' exp arguments (2|z| for tanh, |z| for sigmoid: at most 80) stay inside the
    /// range where TensorPrimitives computes every lane on its own (|x| ≤ 87 in float32, 708 in float64). A unit past
    /// it is saturated: tanh is ±1 to the last bit in both precisions, sigmoid within 4e-18 of 0 or 1.
    /// </summary>
    internal const double LanesAloneMagnitude = 40;

    /// <summary>Elements handed to a row kernel at a time when a row goes past <see cref="LanesAloneMagnitude"/>: 8
    /// vectors, the most TensorPrimitives takes without aligning its vectors to the destination's address (its vectors
    /// are never narrower than <see cref="Vector{T}"/>).</summary>
    internal static int PieceLength => 8 * Vector<T>.Count;

    // z (count) -> a (count) = f(z), for the activations the product's epilogue does not apply; z and a may be one buffer
    public static void Forward<TAct>(ReadOnlySpan<T> z, Span<T> a) where TAct : struct, IActivation<T>
    {
        if (z.IsEmpty) return; // TensorPrimitives refuses empty spans
        if (!TAct.HasVectorRow)
        {
            for (int i = 0; i < z.Length; i++) a[i] = TAct.Forward(z[i]);
            return;
        }
        // TensorPrimitives' exp-based kernels compute each lane alone, except that a vector holding an exp argument out
        // of range is computed another way as a whole, which moves its other lanes' last bit; and a span longer than 8
        // vectors is cut into vectors at the destination's address, which changes from run to run in one process. So a
        // row with such a value goes in pieces that start at fixed indices: which elements share a vector then depends
        // on their index alone, and the same run gives the same bits wherever its arrays lie.
        if (T.Abs(TensorPrimitives.MaxMagnitude(z)) <= T.CreateTruncating(LanesAloneMagnitude))
        {
            TAct.ForwardRow(z, a);
            return;
        }
        for (int start = 0; start < z.Length; start += PieceLength)
        {
            int length = Math.Min(PieceLength, z.Length - start);
            TAct.ForwardRow(z.Slice(start, length), a.Slice(start, length));
        }
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
