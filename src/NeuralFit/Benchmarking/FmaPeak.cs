using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Benchmarking;

/// <summary>
/// This core's fused multiply-add peak, measured: 12 independent FMA chains on the widest vectors the hardware
/// runs (enough chains to cover the FMA latency on every pipe); the best of many short runs, so that a busy
/// machine's interruptions fall outside at least one of them. GFLOP/s counts a multiply-add as two operations, as the FLOP formula of the benchmark cases does.
/// </summary>
internal static class FmaPeak
{
    /// <summary>Vector width the peak was measured with (bits), or 64 when measured on scalars.</summary>
    public static int MeasuredWidthBits =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated && Fma.IsSupported ? 256 : Vector128.IsHardwareAccelerated ? 128 : 64;

    public static double Gflops<T>(int runs = 25, int iterations = 400_000) where T : unmanaged
    {
        double best = 0;
        for (int r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            double flops = typeof(T) == typeof(float) ? Chains<float>(iterations) : Chains<double>(iterations);
            best = Math.Max(best, flops / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    /// <summary>Runs the chains and returns the floating-point operations done.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static double Chains<T>(int iterations) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (Vector512.IsHardwareAccelerated) return Run512<T>(iterations);
        if (Vector256.IsHardwareAccelerated && Fma.IsSupported) return Run256<T>(iterations);
        return Run128<T>(iterations);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static double Run512<T>(int iterations) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = Vector512.Create(T.CreateChecked(0.999999));
        var a = Vector512.Create(T.CreateChecked(1e-7));
        Vector512<T> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma512(c0, m, a); c1 = Fma512(c1, m, a); c2 = Fma512(c2, m, a); c3 = Fma512(c3, m, a);
            c4 = Fma512(c4, m, a); c5 = Fma512(c5, m, a); c6 = Fma512(c6, m, a); c7 = Fma512(c7, m, a);
            c8 = Fma512(c8, m, a); c9 = Fma512(c9, m, a); c10 = Fma512(c10, m, a); c11 = Fma512(c11, m, a);
        }
        Sink = double.CreateTruncating(Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11));
        return 2.0 * 12 * Vector512<T>.Count * iterations;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static double Run256<T>(int iterations) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = Vector256.Create(T.CreateChecked(0.999999));
        var a = Vector256.Create(T.CreateChecked(1e-7));
        Vector256<T> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a, c8 = a, c9 = a, c10 = a, c11 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = Fma256(c0, m, a); c1 = Fma256(c1, m, a); c2 = Fma256(c2, m, a); c3 = Fma256(c3, m, a);
            c4 = Fma256(c4, m, a); c5 = Fma256(c5, m, a); c6 = Fma256(c6, m, a); c7 = Fma256(c7, m, a);
            c8 = Fma256(c8, m, a); c9 = Fma256(c9, m, a); c10 = Fma256(c10, m, a); c11 = Fma256(c11, m, a);
        }
        Sink = double.CreateTruncating(Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11));
        return 2.0 * 12 * Vector256<T>.Count * iterations;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static double Run128<T>(int iterations) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = Vector128.Create(T.CreateChecked(0.999999));
        var a = Vector128.Create(T.CreateChecked(1e-7));
        Vector128<T> c0 = a, c1 = a, c2 = a, c3 = a, c4 = a, c5 = a, c6 = a, c7 = a;
        for (int i = 0; i < iterations; i++)
        {
            c0 = c0 * m + a; c1 = c1 * m + a; c2 = c2 * m + a; c3 = c3 * m + a;
            c4 = c4 * m + a; c5 = c5 * m + a; c6 = c6 * m + a; c7 = c7 * m + a;
        }
        Sink = double.CreateTruncating(Vector128.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7));
        return 2.0 * 8 * Vector128<T>.Count * iterations;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<T> Fma512<T>(Vector512<T> c, Vector512<T> m, Vector512<T> a) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector512.FusedMultiplyAdd(c.AsSingle(), m.AsSingle(), a.AsSingle()).As<float, T>()
        : Vector512.FusedMultiplyAdd(c.AsDouble(), m.AsDouble(), a.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<T> Fma256<T>(Vector256<T> c, Vector256<T> m, Vector256<T> a) where T : unmanaged =>
        typeof(T) == typeof(float) ? Vector256.FusedMultiplyAdd(c.AsSingle(), m.AsSingle(), a.AsSingle()).As<float, T>()
        : Vector256.FusedMultiplyAdd(c.AsDouble(), m.AsDouble(), a.AsDouble()).As<double, T>();

    /// <summary>Keeps the chains' results alive so the JIT cannot drop them.</summary>
    public static double Sink { get; private set; }
}
