using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// What the matrix-multiply epilogue does to each finished output vector z (bias already added): write z, and,
/// for activations cheap enough to apply while z is still in a register, also a = f(z). Activations that need
/// exp, erf or sin (tanh, sigmoid, gelu, …) use <see cref="StoreZOnly{T}"/> and get a separate pass.
/// Each Apply must give exactly what the scalar <see cref="IActivation{T}.Forward"/> gives.
/// </summary>
public interface IFusedActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>False when the epilogue writes z only.</summary>
    static abstract bool WritesActivation { get; }

    /// <summary>False when it writes a only (z and a share a buffer).</summary>
    static virtual bool WritesZ => true;

    static abstract TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T>;
}

/// <summary>a = max(z, 0), as <see cref="Relu{T}"/>: z &gt; 0 ? z : 0.</summary>
public readonly struct FusedRelu<T> : IFusedActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool WritesActivation => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => TOps.SelectPositive(z, z, TOps.Zero);
}

/// <summary>a = z &gt; 0 ? z : 0.01 z, as <see cref="LeakyRelu{T}"/>.</summary>
public readonly struct FusedLeakyRelu<T> : IFusedActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal static readonly T Slope = T.CreateChecked(0.01);
    public static bool WritesActivation => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> =>
        TOps.SelectPositive(z, z, TOps.Multiply(TOps.Broadcast(Slope), z));
}

/// <summary>a = z: a hidden layer with the linear activation keeps its own copy of a.</summary>
public readonly struct FusedIdentity<T> : IFusedActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool WritesActivation => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => z;
}

/// <summary>Writes z only: the output layer (where a is z), dx, or an activation applied in its own pass.</summary>
public readonly struct StoreZOnly<T> : IFusedActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool WritesActivation => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => z;
}

/// <summary>Writes a = f(z) only, for z and a sharing one buffer (see Workspace's keepPreActivations).</summary>
public readonly struct ActivationOnly<T, TAct> : IFusedActivation<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TAct : struct, IFusedActivation<T>
{
    public static bool WritesActivation => true;
    public static bool WritesZ => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TVec, TOps>(TVec z) where TVec : struct where TOps : ISimdOps<TVec, T> => TAct.Apply<TVec, TOps>(z);
}
