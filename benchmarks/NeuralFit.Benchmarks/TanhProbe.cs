using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using NeuralFit.Networks.Kernels;

namespace NeuralFit.Benchmarks;

/// <summary>
/// What NeuralFit's float64 tanh costs at 512 bits, an element, over 2048 values in L1 (uniform on [−3, 3)), and a
/// 512-bit division alone for scale (tanh has one): `dotnet run -c Release --project benchmarks/NeuralFit.Benchmarks
/// -- tanh`. Five rounds; the first ones include the JIT's tiers.
/// </summary>
static class TanhProbe
{
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static Vector512<double> Tanhs(double[] z, int reps)
    {
        var acc = Vector512<double>.Zero;
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < z.Length; i += 8)
                acc += ElementFunctions<double, Vector512<double>, Vector512Ops<double>>.Tanh(Vector512.LoadUnsafe(ref z[i]));
        return acc;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static Vector512<double> Divisions(double[] z, int reps)
    {
        var acc = Vector512<double>.Zero;
        var two = Vector512.Create(2.0);
        for (int r = 0; r < reps; r++)
            for (int i = 0; i < z.Length; i += 8)
                acc += two / (Vector512.LoadUnsafe(ref z[i]) + two);
        return acc;
    }

    public static void Run()
    {
        var z = new double[2048];
        var rng = new Random(1);
        for (int i = 0; i < z.Length; i++) z[i] = rng.NextDouble() * 6 - 3;
        for (int round = 0; round < 5; round++)
        {
            long t0 = Stopwatch.GetTimestamp();
            var a = Tanhs(z, 2000);
            double tanhNs = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / (2000.0 * z.Length);
            t0 = Stopwatch.GetTimestamp();
            var b = Divisions(z, 2000);
            double divNs = Stopwatch.GetElapsedTime(t0).TotalNanoseconds / (2000.0 * z.Length);
            Console.WriteLine($"tanh {tanhNs:F3} ns an element, a division alone {divNs:F3} ({a[0] + b[0]:F1})");
        }
    }
}
