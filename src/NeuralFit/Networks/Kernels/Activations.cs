using System.Numerics;
using System.Runtime.CompilerServices;
using NeuralFit.Numerics;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// An activation as a small struct: everything the kernels compute with it sits together, as micrograd keeps a
/// derivative beside its op. The scalar <see cref="Forward(T)"/> and <see cref="Derivative"/> are the definitions
/// (torch.nn's, https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity); every
/// vector form is written with exactly their operations, so a fast kernel gives the reference's numbers. Generic
/// kernels take the struct as a type, so the JIT specialises them: no switch in an inner loop. The one place an
/// <c>Activation</c> value becomes one of these types is <c>ActivationDispatch</c>.
/// </summary>
internal interface IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>a = f(z).</summary>
    static abstract T Forward(T z);

    /// <summary>f'(z), from the pre-activation z and the output a = f(z), whichever is cheaper.</summary>
    static abstract T Derivative(T z, T a);

    /// <summary>True when <see cref="ForwardVector"/> exists and is short (a compare and a select at most: ReLU and its
    /// kin): applied in a matrix product's epilogue, while z is still in registers.</summary>
    static virtual bool FusesIntoProducts => false;

    /// <summary>True when <see cref="ForwardVector"/> exists but takes dozens of instructions (tanh and sigmoid, with
    /// <see cref="ElementFunctions{T, TVec, TOps}"/>, whose lanes give the scalar <see cref="Forward(T)"/>'s bits at every
    /// width): applied in a vector pass after the product. In the epilogue, its temporaries and constants crowd the
    /// tile's 24 accumulators and the JIT spills them inside the product's inner loop (measured: a 256 → 256 tanh layer
    /// at a third of the speed of product then pass).</summary>
    static virtual bool HasLongForwardVector => false;

    /// <summary>a = f(z) lane by lane, for the activations that fuse into products or have a long vector form.</summary>
    static virtual TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => throw new NotSupportedException();

    /// <summary>True when <see cref="TimesDerivativeVector"/> exists: cheap enough for a product's epilogue or a
    /// one-pass backward. The others (exp, erf, cos) apply the scalar <see cref="Derivative"/> in a pass of their own.</summary>
    static virtual bool HasVectorDerivative => false;

    /// <summary>Whether the vector derivative reads z, and whether it reads a: a kernel loads only what is read.</summary>
    static virtual bool DerivativeReadsZ => false;
    static virtual bool DerivativeReadsA => false;

    /// <summary>g ∘ f'(z, a) lane by lane.</summary>
    static virtual TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        throw new NotSupportedException();

    /// <summary>
    /// True for f(z) = z above 0 and s·z below, with a fixed s = <see cref="SlopeBelowZero"/> in [0, 1] (ReLU, leaky
    /// ReLU, linear). Then a = slope(z)·z with the slope fixed by the sign of z, which a shows as well: a training
    /// workspace keeps a alone, and a one-input layer of such units can be handled by the one-input paths
    /// (<c>OneInputBelow</c>, <c>OneInputSegments</c>), whose sums rest on a = s·z.
    /// </summary>
    static virtual bool IsTwoPieceLinear => false;

    /// <summary>s, the slope below 0, of a two-piece linear activation.</summary>
    static virtual T SlopeBelowZero => throw new NotSupportedException();

    /// <summary>f'(z) of a two-piece linear activation, lane by lane: 1 above 0, <see cref="SlopeBelowZero"/> at and below.</summary>
    static virtual TV SlopeVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => throw new NotSupportedException();

    /// <summary>True for the ReLU family, whose units can die (zero output and zero gradient on the whole domain)
    /// and whose kinks the probes count.</summary>
    static virtual bool IsReluFamily => false;

    /// <summary>True for activations bounded on both sides, whose units can saturate.</summary>
    static virtual bool IsBounded => false;

    /// <summary>Half the width of the input range over which the activation is far from flat or linear (Nguyen–Widrow
    /// spreads the units' active regions over the inputs with it).</summary>
    static virtual double ActiveHalfWidth => 1;
}

internal readonly struct Relu<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z > T.Zero ? z : T.Zero;
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero; // 0 at z = 0, as PyTorch
    public static bool FusesIntoProducts => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => TO.SelectPositive(z, z, TO.Zero);
    public static bool HasVectorDerivative => true;
    public static bool DerivativeReadsZ => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> => TO.Multiply(g, SlopeVector<TV, TO>(z));
    public static bool IsTwoPieceLinear => true;
    public static T SlopeBelowZero => T.Zero;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SlopeVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => TO.SelectPositive(z, TO.Broadcast(T.One), TO.Zero);
    public static bool IsReluFamily => true;
}

internal readonly struct LeakyRelu<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>torch.nn.LeakyReLU's default negative_slope: the one leak slope of NeuralFit.</summary>
    public static readonly T Slope = T.CreateChecked(0.01);
    public static T Forward(T z) => z > T.Zero ? z : Slope * z;
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : Slope;
    public static bool FusesIntoProducts => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.SelectPositive(z, z, TO.Multiply(TO.Broadcast(Slope), z));
    public static bool HasVectorDerivative => true;
    public static bool DerivativeReadsZ => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> => TO.Multiply(g, SlopeVector<TV, TO>(z));
    public static bool IsTwoPieceLinear => true;
    public static T SlopeBelowZero => Slope;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SlopeVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.SelectPositive(z, TO.Broadcast(T.One), TO.Broadcast(Slope));
    public static bool IsReluFamily => true;
}

internal readonly struct Elu<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z > T.Zero ? z : T.ExpM1(z);
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : T.Exp(z);
}

/// <summary>Exact GELU, z Φ(z), with Φ the standard normal distribution function.</summary>
internal readonly struct Gelu<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z)
    {
        double x = double.CreateChecked(z);
        return T.CreateChecked(0.5 * x * ErrorFunction.Erfc(-x / Math.Sqrt(2)));
    }

    public static T Derivative(T z, T a)
    {
        double x = double.CreateChecked(z);
        double cdf = 0.5 * ErrorFunction.Erfc(-x / Math.Sqrt(2));
        double pdf = Math.Exp(-0.5 * x * x) / Math.Sqrt(2 * Math.PI);
        return T.CreateChecked(cdf + x * pdf);
    }
}

internal readonly struct Silu<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z / (T.One + T.Exp(-z));
    public static T Derivative(T z, T a)
    {
        T s = T.One / (T.One + T.Exp(-z));
        return s * (T.One + z * (T.One - s));
    }
}

internal readonly struct Tanh<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => ElementFunctions<T, T, ScalarOps<T>>.Tanh(z); // within 2 ulps of T.Tanh, the same bits as every vector lane
    public static T Derivative(T z, T a) => T.One - a * a;
    public static bool HasLongForwardVector => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => ElementFunctions<T, TV, TO>.Tanh(z);
    public static bool HasVectorDerivative => true;
    public static bool DerivativeReadsA => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.Subtract(TO.Broadcast(T.One), TO.Multiply(a, a)));
    public static bool IsBounded => true;
    public static double ActiveHalfWidth => 2;
}

internal readonly struct Sigmoid<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => ElementFunctions<T, T, ScalarOps<T>>.Sigmoid(z); // 1/(1 + e^(−z)) within 2 ulps, the same bits as every vector lane
    public static T Derivative(T z, T a) => a * (T.One - a);
    public static bool HasLongForwardVector => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => ElementFunctions<T, TV, TO>.Sigmoid(z);
    public static bool HasVectorDerivative => true;
    public static bool DerivativeReadsA => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> =>
        TO.Multiply(g, TO.Multiply(a, TO.Subtract(TO.Broadcast(T.One), a)));
    public static bool IsBounded => true;
    public static double ActiveHalfWidth => 4;
}

/// <summary>softplus with beta 1 and PyTorch's threshold 20, above which it is the identity.</summary>
internal readonly struct Softplus<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static readonly T Threshold = T.CreateChecked(20);
    public static T Forward(T z) => z > Threshold ? z : T.LogP1(T.Exp(z));
    public static T Derivative(T z, T a)
    {
        if (z > Threshold) return T.One;
        T e = T.Exp(z);
        return e / (e + T.One);
    }
}

internal readonly struct Sine<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => T.Sin(z);
    public static T Derivative(T z, T a) => T.Cos(z);
    public static double ActiveHalfWidth => Math.PI / 2;
}

/// <summary>The linear activation (and the output layer's): a = z.</summary>
internal readonly struct Identity<T> : IActivation<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z;
    public static T Derivative(T z, T a) => T.One;
    public static bool FusesIntoProducts => true;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ForwardVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => z;
    public static bool HasVectorDerivative => true; // reads nothing: g is left as it is
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV TimesDerivativeVector<TV, TO>(TV g, TV z, TV a) where TV : struct where TO : ISimdOps<TV, T> => g;
    public static bool IsTwoPieceLinear => true;
    public static T SlopeBelowZero => T.One;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SlopeVector<TV, TO>(TV z) where TV : struct where TO : ISimdOps<TV, T> => TO.Broadcast(T.One);
}
