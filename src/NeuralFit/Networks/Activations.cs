using System.Numerics;

namespace NeuralFit.Networks;

/// <summary>
/// An activation as a small struct, so generic kernels are specialised by the JIT with no switch in inner loops.
/// Each derivative is written beside its forward code, from the pre-activation z and the output a = f(z)
/// (whichever is cheaper). Definitions follow torch.nn (https://pytorch.org/docs/stable/nn.html#non-linear-activations-weighted-sum-nonlinearity).
/// </summary>
public interface IActivation<T> where T : IFloatingPointIeee754<T>
{
    static abstract T Forward(T z);
    static abstract T Derivative(T z, T a);
}

public readonly struct Relu<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z > T.Zero ? z : T.Zero;
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : T.Zero; // 0 at z = 0, as PyTorch
}

public readonly struct LeakyRelu<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    static readonly T Slope = T.CreateChecked(0.01);
    public static T Forward(T z) => z > T.Zero ? z : Slope * z;
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : Slope;
}

public readonly struct Elu<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z > T.Zero ? z : T.ExpM1(z);
    public static T Derivative(T z, T a) => z > T.Zero ? T.One : T.Exp(z);
}

/// <summary>Exact GELU, z Φ(z), with Φ the standard normal distribution function.</summary>
public readonly struct Gelu<T> : IActivation<T> where T : IFloatingPointIeee754<T>
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

public readonly struct Silu<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z / (T.One + T.Exp(-z));
    public static T Derivative(T z, T a)
    {
        T s = T.One / (T.One + T.Exp(-z));
        return s * (T.One + z * (T.One - s));
    }
}

public readonly struct Tanh<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => T.Tanh(z);
    public static T Derivative(T z, T a) => T.One - a * a;
}

public readonly struct Sigmoid<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => T.One / (T.One + T.Exp(-z));
    public static T Derivative(T z, T a) => a * (T.One - a);
}

/// <summary>softplus with beta 1 and PyTorch's threshold 20, above which it is the identity.</summary>
public readonly struct Softplus<T> : IActivation<T> where T : IFloatingPointIeee754<T>
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

public readonly struct Sine<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => T.Sin(z);
    public static T Derivative(T z, T a) => T.Cos(z);
}

public readonly struct Identity<T> : IActivation<T> where T : IFloatingPointIeee754<T>
{
    public static T Forward(T z) => z;
    public static T Derivative(T z, T a) => T.One;
}
