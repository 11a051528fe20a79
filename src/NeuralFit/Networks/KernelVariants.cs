using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Networks;

/// <summary>The kernel variants, each named after its technique (NEURALFIT_KERNEL spells them in lower case).</summary>
internal enum KernelVariant
{
    /// <summary>The same micro-kernels on 512-bit vectors (AVX-512F), with tiles sized for its 32 vector registers.</summary>
    Vector512,
    /// <summary>Register-blocked micro-kernels on 256-bit vectors with fused multiply-add (AVX2 + FMA).</summary>
    Vector256,
    /// <summary>The same micro-kernels on 128-bit vectors (SSE2, Arm AdvSimd): for machines without AVX2.</summary>
    Vector128,
    /// <summary>The same micro-kernels one lane wide: plain scalar arithmetic in registers.</summary>
    Scalar,
    /// <summary>Row-at-a-time TensorPrimitives calls (NeuralFit's first kernels, Kernels/Reference/DenseRows): a baseline.</summary>
    Rows,
    /// <summary>Kernels/Reference/DenseNaive, the reference: triple loops as plain as possible.</summary>
    Naive,
}

/// <summary>
/// Which variant this machine runs: the widest register-blocked one its hardware runs natively, unless the
/// environment variable NEURALFIT_KERNEL names another (vector512, vector256, vector128, scalar, rows, naive; auto or unset =
/// the best). The variable is read here and nowhere else, once per process; <see cref="KernelPlan{T}"/> takes the
/// variant as an input. A new width (as 512-bit vectors were) is a value of <see cref="KernelVariant"/>, a line in
/// <see cref="Best"/>, <see cref="Supported"/>, <see cref="Lanes{T}"/> and <see cref="Narrower"/>, and one in the
/// plan's width visitor.
/// </summary>
internal static class KernelVariants
{
    public const string EnvironmentVariable = "NEURALFIT_KERNEL";

    static readonly (string Name, KernelVariant Variant)[] Names =
    [
        ("vector512", KernelVariant.Vector512), ("vector256", KernelVariant.Vector256), ("vector128", KernelVariant.Vector128), ("scalar", KernelVariant.Scalar),
        ("rows", KernelVariant.Rows), ("naive", KernelVariant.Naive),
    ];

    /// <summary>The best variant the hardware runs natively.</summary>
    public static KernelVariant Best =>
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? KernelVariant.Vector512
        : Vector256.IsHardwareAccelerated && Fma.IsSupported ? KernelVariant.Vector256
        : Vector128.IsHardwareAccelerated ? KernelVariant.Vector128
        : KernelVariant.Scalar;

    /// <summary>Every variant that runs natively here (the wider vector variants need their hardware).</summary>
    public static IReadOnlyList<KernelVariant> Supported => Enum.GetValues<KernelVariant>()
        .Where(v => v switch
        {
            KernelVariant.Vector512 => Best == KernelVariant.Vector512,
            KernelVariant.Vector256 => Vector256.IsHardwareAccelerated && Fma.IsSupported,
            KernelVariant.Vector128 => Vector128.IsHardwareAccelerated,
            _ => true,
        }).ToArray();

    static readonly string? Requested = Environment.GetEnvironmentVariable(EnvironmentVariable);

    /// <summary>What NEURALFIT_KERNEL asked for, or <see cref="Best"/>; and a note when the request was not usable.</summary>
    public static (KernelVariant Variant, string? Note) Chosen { get; } = Choose(Requested);

    /// <summary>True when NEURALFIT_KERNEL named a variant this machine runs: the plan then runs it wherever it can,
    /// without narrowing short batches for speed (<see cref="KernelPlan{T}"/>).</summary>
    public static bool Forced { get; } = Chosen.Note is null && !string.IsNullOrWhiteSpace(Requested)
        && !Requested.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why <see cref="Chosen"/> is what it is, in a few words.</summary>
    public static string ChosenBecause { get; } = Chosen.Note
        ?? (string.IsNullOrWhiteSpace(Requested) || Requested.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? "the widest this machine runs natively" : $"{EnvironmentVariable}={Requested.Trim()}");

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

    public static string Name(this KernelVariant v) => Names.First(p => p.Variant == v).Name;

    /// <summary>True for the register-blocked variants (one per vector width).</summary>
    public static bool IsBlocked(this KernelVariant v) => v is KernelVariant.Vector512 or KernelVariant.Vector256 or KernelVariant.Vector128 or KernelVariant.Scalar;

    /// <summary>Elements of T per vector of a blocked variant.</summary>
    public static int Lanes<T>(this KernelVariant v) where T : unmanaged, IFloatingPointIeee754<T> => v switch
    {
        KernelVariant.Vector512 => Vector512<T>.Count,
        KernelVariant.Vector256 => Vector256<T>.Count,
        KernelVariant.Vector128 => Vector128<T>.Count,
        _ => 1,
    };

    /// <summary>The next narrower blocked variant, for batches shorter than one vector (none below one lane).</summary>
    public static KernelVariant? Narrower(this KernelVariant v) => v switch
    {
        KernelVariant.Vector512 => KernelVariant.Vector256,
        KernelVariant.Vector256 => KernelVariant.Vector128,
        KernelVariant.Vector128 => KernelVariant.Scalar,
        _ => null,
    };
}
