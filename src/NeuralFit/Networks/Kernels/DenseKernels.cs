using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Networks.Kernels;

/// <summary>The dense-layer kernel variants, each named after its technique.</summary>
public enum KernelVariant
{
    /// <summary>Register-blocked micro-kernels on 256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>The same micro-kernels on 128-bit vectors (SSE2, Arm AdvSimd): for machines without AVX2.</summary>
    Vector128,
    /// <summary>The same micro-kernels one lane wide: plain scalar arithmetic in registers.</summary>
    Scalar,
    /// <summary>Row-at-a-time TensorPrimitives calls (NeuralFit's first kernels): a baseline for the benchmarks.</summary>
    Rows,
    /// <summary><see cref="DenseNaive"/>, the reference: triple loops as plain as possible.</summary>
    Naive,
}

/// <summary>
/// Picks the dense kernel for this machine: the widest register-blocked variant the hardware runs natively, unless
/// the environment variable NEURALFIT_KERNEL names another (vector256, vector128, scalar, rows, naive; auto or
/// unset = the best). Read once per process.
/// </summary>
public static class DenseKernels
{
    public const string EnvironmentVariable = "NEURALFIT_KERNEL";

    static readonly (string Name, KernelVariant Variant)[] Names =
    [
        ("vector256", KernelVariant.Vector256), ("vector128", KernelVariant.Vector128), ("scalar", KernelVariant.Scalar),
        ("rows", KernelVariant.Rows), ("naive", KernelVariant.Naive),
    ];

    /// <summary>The best variant the hardware runs natively.</summary>
    public static KernelVariant Best =>
        Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelVariant.Vector256
        : Vector128.IsHardwareAccelerated ? KernelVariant.Vector128
        : KernelVariant.Scalar;

    /// <summary>Every variant that runs natively here (the wider vector variants need their hardware).</summary>
    public static IReadOnlyList<KernelVariant> Supported => Enum.GetValues<KernelVariant>()
        .Where(v => v switch
        {
            KernelVariant.Vector256 => Best == KernelVariant.Vector256,
            KernelVariant.Vector128 => Vector128.IsHardwareAccelerated,
            _ => true,
        }).ToArray();

    /// <summary>What NEURALFIT_KERNEL asked for, or <see cref="Best"/>; and a note when the request was not usable.</summary>
    public static (KernelVariant Variant, string? Note) Chosen { get; } = Choose(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static (KernelVariant Variant, string? Note) Choose(string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested) || requested.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)) return (Best, null);
        var match = Names.Where(p => p.Name.Equals(requested.Trim(), StringComparison.OrdinalIgnoreCase)).Select(p => (KernelVariant?)p.Variant).FirstOrDefault();
        if (match is not KernelVariant v)
            return (Best, $"{EnvironmentVariable}={requested} is not a kernel ({string.Join(", ", Names.Select(p => p.Name))}, auto); using {Name(Best)}");
        if (!Supported.Contains(v))
            return (Best, $"{EnvironmentVariable}={requested}: this machine cannot run it natively; using {Name(Best)}");
        return (v, null);
    }

    public static string Name(KernelVariant v) => Names.First(p => p.Variant == v).Name;

    public static IDenseKernel<T> Create<T>(KernelVariant v) where T : unmanaged, IFloatingPointIeee754<T> => v switch
    {
        KernelVariant.Vector256 => new BlockedDense<T, Vector256<T>, Vector256Ops<T>>(Name(v)),
        KernelVariant.Vector128 => new BlockedDense<T, Vector128<T>, Vector128Ops<T>>(Name(v)),
        KernelVariant.Scalar => new BlockedDense<T, T, ScalarOps<T>>(Name(v)),
        KernelVariant.Rows => new PassesDense<T, Dense>(Name(v)),
        KernelVariant.Naive => new PassesDense<T, DenseNaive>(Name(v)),
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };
}

/// <summary>The chosen variant for one element type, made once.</summary>
public static class DenseKernels<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static IDenseKernel<T> Selected { get; } = DenseKernels.Create<T>(DenseKernels.Chosen.Variant);
}
