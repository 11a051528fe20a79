using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels.Blocked;

/// <summary>
/// What a product's epilogue stores of each finished output vector z (bias already added): z, a = f(z), or both.
/// Only activations that fuse into products (<see cref="IActivation{T}.FusesIntoProducts"/>: ReLU, leaky ReLU,
/// linear) are applied here; the others store z and get a pass of their own.
/// </summary>
internal interface IEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract bool WritesZ { get; }
    static abstract bool WritesActivation { get; }
    static abstract TVec Activation<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T>;
}

/// <summary>Writes z only: the output layer (where a is z), dx, or an activation applied in its own pass.</summary>
internal readonly struct StoreZ<T> : IEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool WritesZ => true;
    public static bool WritesActivation => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Activation<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => z;
}

/// <summary>Writes z and a = f(z): a layer that keeps both (a hidden linear layer keeps its own copy of a).</summary>
internal readonly struct StoreZAndA<T, TAct> : IEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T> where TAct : struct, IActivation<T>
{
    public static bool WritesZ => true;
    public static bool WritesActivation => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Activation<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => TAct.ForwardVector<TVec, TOps>(z);
}

/// <summary>Writes a = f(z) only, for z and a sharing one buffer (a training workspace's two-piece linear layers).</summary>
internal readonly struct StoreA<T, TAct> : IEpilogue<T> where T : unmanaged, IFloatingPointIeee754<T> where TAct : struct, IActivation<T>
{
    public static bool WritesZ => false;
    public static bool WritesActivation => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Activation<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => TAct.ForwardVector<TVec, TOps>(z);
}
