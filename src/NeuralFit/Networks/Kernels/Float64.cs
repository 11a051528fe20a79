using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// T ⇄ double in one instruction for float and double. The generic CreateChecked route is correct but is not
/// always inlined, and in a loop over every parameter it costs more than the arithmetic around it.
/// </summary>
static class Float64<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double From(T value) =>
        typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value)
        : typeof(T) == typeof(double) ? Unsafe.As<T, double>(ref value)
        : double.CreateChecked(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T To(double value)
    {
        if (typeof(T) == typeof(float)) { float f = (float)value; return Unsafe.As<float, T>(ref f); }
        if (typeof(T) == typeof(double)) return Unsafe.As<double, T>(ref value);
        return T.CreateTruncating(value);
    }
}
