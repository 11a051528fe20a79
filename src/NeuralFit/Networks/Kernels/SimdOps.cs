using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// The handful of vector operations the kernels and the activations' vector forms use, for one vector width
/// (a kernel family at a new width, such as 512-bit vectors, starts with a struct here). The kernels are written once,
/// generic over an implementation of this interface; the JIT specialises them for each struct below, so every call
/// here inlines to one or two instructions and the scalar width (<see cref="ScalarOps{T}"/>, a "vector" of one
/// lane) gets the same register blocking as the wide ones. (.NET's own ISimdVector is internal, hence this.)
/// </summary>
internal interface ISimdOps<TVec, T> where TVec : struct where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }

    /// <summary>True when the width comes with 32 vector registers (AVX-512), so micro-kernels may keep twice as many
    /// accumulators as with 16; tile shapes change no result (each sum runs in the same order), only the speed.</summary>
    static abstract bool ManyRegisters { get; }
    static abstract TVec Zero { get; }
    static abstract TVec Broadcast(T value);
    static abstract TVec Load(ref T source);
    static abstract void Store(TVec value, ref T destination);

    /// <summary>a·b + c, fused where the hardware fuses it.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);
    static abstract TVec Add(TVec a, TVec b);
    static abstract TVec Subtract(TVec a, TVec b);
    static abstract TVec Multiply(TVec a, TVec b);
    static abstract TVec Divide(TVec a, TVec b);
    static abstract TVec Sqrt(TVec a);

    /// <summary>Lane-wise z &gt; 0 ? onPositive : otherwise, with NaN counting as not positive (as the scalar code).</summary>
    static abstract TVec SelectPositive(TVec z, TVec onPositive, TVec otherwise);

    /// <summary>v with its first <paramref name="lanes"/> lanes zeroed (for a tail vector that overlaps finished lanes).</summary>
    static abstract TVec ZeroFirst(TVec v, int lanes);

    static abstract T Sum(TVec v);

    /// <summary>The sums of four vectors into sums[0..4), each exactly as <see cref="Sum"/> gives it (512-bit vectors
    /// share one reduction tree among the four: <see cref="LaneSums"/>).</summary>
    static abstract void Sum4(TVec a, TVec b, TVec c, TVec d, ref T sums);

    /// <summary>Whether any lane of z is &gt; 0 (NaN is not).</summary>
    static abstract bool AnyPositive(TVec z);

    /// <summary>Whether every lane of z is &gt; 0 (NaN is not).</summary>
    static abstract bool AllPositive(TVec z);

    /// <summary>Whether any lane of v is not ±0 (NaN is not zero).</summary>
    static abstract bool AnyNonZero(TVec v);
}

/// <summary>512-bit vectors (AVX-512F on x64), with FMA; 32 vector registers, so the kernels take larger tiles
/// (<see cref="ISimdOps{TVec, T}.ManyRegisters"/>).</summary>
internal readonly struct Vector512Ops<T> : ISimdOps<Vector512<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector512<T>.Count;
    public static bool ManyRegisters => true;
    public static Vector512<T> Zero => Vector512<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Broadcast(T value) => Vector512.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector512<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector512<T> Sqrt(Vector512<T> a) => Vector512.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> SelectPositive(Vector512<T> z, Vector512<T> onPositive, Vector512<T> otherwise) =>
        Vector512.ConditionalSelect(Vector512.GreaterThan(z, Vector512<T>.Zero), onPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ZeroFirst(Vector512<T> v, int lanes) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(T.CreateTruncating(lanes))), v, Vector512<T>.Zero);

    // Halves added down to 128 bits, then that vector's sum: 8 instructions where Vector512.Sum, which sums each
    // 128-bit quarter on its own first, takes 25. The micro-kernels sum every accumulator once per tile, and on short
    // rows (the question's 500-sample batch) those sums were a quarter of the one-input backward pass.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Vector512<T> v)
    {
        var half = v.GetLower() + v.GetUpper();
        return Vector128.Sum(half.GetLower() + half.GetUpper());
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector512<T> a, Vector512<T> b, Vector512<T> c, Vector512<T> d, ref T sums)
    {
        if (Avx512F.IsSupported && typeof(T) == typeof(float))
            LaneSums.Four(a.AsSingle(), b.AsSingle(), c.AsSingle(), d.AsSingle()).StoreUnsafe(ref Unsafe.As<T, float>(ref sums));
        else if (Avx512F.IsSupported && typeof(T) == typeof(double))
            LaneSums.Four(a.AsDouble(), b.AsDouble(), c.AsDouble(), d.AsDouble()).StoreUnsafe(ref Unsafe.As<T, double>(ref sums));
        else
            (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (Sum(a), Sum(b), Sum(c), Sum(d));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyPositive(Vector512<T> z) => Vector512.GreaterThanAny(z, Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllPositive(Vector512<T> z) => Vector512.GreaterThanAll(z, Vector512<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNonZero(Vector512<T> v) => !Vector512.EqualsAll(v, Vector512<T>.Zero);
}

/// <summary>256-bit vectors with hardware FMA (AVX2 + FMA on x64).</summary>
internal readonly struct Vector256Ops<T> : ISimdOps<Vector256<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector256<T>.Count;
    public static bool ManyRegisters => false;
    public static Vector256<T> Zero => Vector256<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Broadcast(T value) => Vector256.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector256<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector256<T> Sqrt(Vector256<T> a) => Vector256.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> SelectPositive(Vector256<T> z, Vector256<T> onPositive, Vector256<T> otherwise) =>
        Vector256.ConditionalSelect(Vector256.GreaterThan(z, Vector256<T>.Zero), onPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ZeroFirst(Vector256<T> v, int lanes) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(LaneIndex, Vector256.Create(T.CreateTruncating(lanes))), v, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector256<T> v) => Vector256.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector256<T> a, Vector256<T> b, Vector256<T> c, Vector256<T> d, ref T sums) =>
        (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (Sum(a), Sum(b), Sum(c), Sum(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyPositive(Vector256<T> z) => Vector256.GreaterThanAny(z, Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllPositive(Vector256<T> z) => Vector256.GreaterThanAll(z, Vector256<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNonZero(Vector256<T> v) => !Vector256.EqualsAll(v, Vector256<T>.Zero);

    static Vector256<T> LaneIndex => Vector256<T>.Indices;
}

/// <summary>128-bit vectors (SSE2 on x64, AdvSimd on Arm); multiply-add fuses only where the hardware can.</summary>
internal readonly struct Vector128Ops<T> : ISimdOps<Vector128<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector128<T>.Count;
    public static bool ManyRegisters => false;
    public static Vector128<T> Zero => Vector128<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Broadcast(T value) => Vector128.Create(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector128<T> value, ref T destination) => value.StoreUnsafe(ref destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
    {
        if (typeof(T) == typeof(float)) return Vector128.MultiplyAddEstimate(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        if (typeof(T) == typeof(double)) return Vector128.MultiplyAddEstimate(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector128<T> Sqrt(Vector128<T> a) => Vector128.Sqrt(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> SelectPositive(Vector128<T> z, Vector128<T> onPositive, Vector128<T> otherwise) =>
        Vector128.ConditionalSelect(Vector128.GreaterThan(z, Vector128<T>.Zero), onPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ZeroFirst(Vector128<T> v, int lanes) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(T.CreateTruncating(lanes))), v, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector128<T> v) => Vector128.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector128<T> a, Vector128<T> b, Vector128<T> c, Vector128<T> d, ref T sums) =>
        (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (Sum(a), Sum(b), Sum(c), Sum(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyPositive(Vector128<T> z) => Vector128.GreaterThanAny(z, Vector128<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllPositive(Vector128<T> z) => Vector128.GreaterThanAll(z, Vector128<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNonZero(Vector128<T> v) => !Vector128.EqualsAll(v, Vector128<T>.Zero);
}

/// <summary>One lane: plain scalar arithmetic, no fused multiply-add (for machines without SIMD, or to compare).</summary>
internal readonly struct ScalarOps<T> : ISimdOps<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => 1;
    public static bool ManyRegisters => false;
    public static T Zero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Broadcast(T value) => value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Load(ref T source) => source;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(T value, ref T destination) => destination = value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T MultiplyAdd(T a, T b, T c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Add(T a, T b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Subtract(T a, T b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Multiply(T a, T b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Divide(T a, T b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sqrt(T a) => T.Sqrt(a);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T SelectPositive(T z, T onPositive, T otherwise) => z > T.Zero ? onPositive : otherwise;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T ZeroFirst(T v, int lanes) => lanes > 0 ? T.Zero : v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(T v) => v;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(T a, T b, T c, T d, ref T sums) => (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (a, b, c, d);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyPositive(T z) => z > T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllPositive(T z) => z > T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNonZero(T v) => v != T.Zero;
}

/// <summary><see cref="Vector{T}"/>, the machine's preferred width, for the segments' loops (their vector code is
/// written on it); multiply-add is not fused here.</summary>
internal readonly struct VectorOps<T> : ISimdOps<Vector<T>, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static int Count => Vector<T>.Count;
    public static bool ManyRegisters => false;
    public static Vector<T> Zero => Vector<T>.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Broadcast(T value) => new(value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Load(ref T source) => Vector.LoadUnsafe(ref source);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static void Store(Vector<T> value, ref T destination) => value.StoreUnsafe(ref destination);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> MultiplyAdd(Vector<T> a, Vector<T> b, Vector<T> c) => a * b + c;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Add(Vector<T> a, Vector<T> b) => a + b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Subtract(Vector<T> a, Vector<T> b) => a - b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Multiply(Vector<T> a, Vector<T> b) => a * b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Divide(Vector<T> a, Vector<T> b) => a / b;
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static Vector<T> Sqrt(Vector<T> a) => Vector.SquareRoot(a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> SelectPositive(Vector<T> z, Vector<T> onPositive, Vector<T> otherwise) =>
        Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<T>.Zero), onPositive, otherwise);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> ZeroFirst(Vector<T> v, int lanes) =>
        Vector.ConditionalSelect(Vector.GreaterThanOrEqual(Vector<T>.Indices, new Vector<T>(T.CreateTruncating(lanes))), v, Vector<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static T Sum(Vector<T> v) => Vector.Sum(v);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sum4(Vector<T> a, Vector<T> b, Vector<T> c, Vector<T> d, ref T sums) =>
        (sums, Unsafe.Add(ref sums, 1), Unsafe.Add(ref sums, 2), Unsafe.Add(ref sums, 3)) = (Sum(a), Sum(b), Sum(c), Sum(d));

    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyPositive(Vector<T> z) => Vector.GreaterThanAny(z, Vector<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AllPositive(Vector<T> z) => Vector.GreaterThanAll(z, Vector<T>.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)] public static bool AnyNonZero(Vector<T> v) => !Vector.EqualsAll(v, Vector<T>.Zero);
}
