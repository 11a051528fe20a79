using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// g ∘ f'(z, a) on vectors, for the activations whose derivative is cheap enough for a kernel's inner loop or
/// epilogue; each computed with exactly the operations of the scalar derivative in Activations.cs.
/// </summary>
public interface IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether Times reads z, and whether it reads a: a kernel loads only what is read.</summary>
    static abstract bool ReadsZ { get; }
    static abstract bool ReadsA { get; }

    static abstract TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T>;
}

/// <summary>The vector derivative of an activation, or null when it needs exp, erf or cos (scalar code).</summary>
public static class Derivatives
{
    public static bool HasVectorForm(Activation act) =>
        act is Activation.Relu or Activation.LeakyRelu or Activation.Tanh or Activation.Sigmoid or Activation.Linear;
}

public readonly struct ReluDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool ReadsZ => true;
    public static bool ReadsA => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.SelectPositive(z, TO.Broadcast(T.One), TO.Zero));
}

public readonly struct LeakyReluDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool ReadsZ => true;
    public static bool ReadsA => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.SelectPositive(z, TO.Broadcast(T.One), TO.Broadcast(FusedLeakyRelu<T>.Slope)));
}

public readonly struct TanhDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool ReadsZ => false;
    public static bool ReadsA => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.Subtract(TO.Broadcast(T.One), TO.Multiply(a, a)));
}

public readonly struct SigmoidDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool ReadsZ => false;
    public static bool ReadsA => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.Multiply(a, TO.Subtract(TO.Broadcast(T.One), a)));
}

/// <summary>Linear layers, and activations whose derivative was applied in scalar code: g is left as it is.</summary>
public readonly struct NoDerivative<T> : IDerivative<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool ReadsZ => false;
    public static bool ReadsA => false;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Times<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> => g;
}
