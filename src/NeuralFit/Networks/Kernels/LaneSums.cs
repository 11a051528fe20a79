using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// Four 512-bit vectors' lane sums by one reduction tree (AVX-512F): 8 shuffles and adds for the four, where four
/// separate sums take 8 each. Each sum runs in the order <see cref="Vector512Ops{T}.Sum"/> uses (the vector's lower
/// 256 bits plus its upper, those halves' 128-bit halves added, then the 128-bit vector's own sum), so a sum comes
/// out the same, bit for bit, whichever of the two made it.
/// </summary>
static class LaneSums
{
    // Shuffle4x128 picks 128-bit blocks: 0x44 = [l0 l1 r0 r1], 0xEE = [l2 l3 r2 r3], 0x88 = [l0 l2 r0 r2], 0xDD = [l1 l3 r1 r3].
    // After the two rounds, block k holds vector k's lower + upper 256, halves added: its 128-bit partial sum.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Four(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        var ab = Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);
        var cd = Avx512F.Shuffle4x128(c, d, 0x44) + Avx512F.Shuffle4x128(c, d, 0xEE);
        var q = Avx512F.Shuffle4x128(ab, cd, 0x88) + Avx512F.Shuffle4x128(ab, cd, 0xDD);
        q += Avx512F.Permute4x32(q, 0xB1); // lanes swapped in pairs: x0+x1, x2+x3 (as Vector128.Sum)
        q += Avx512F.Permute4x32(q, 0x4E); // 64-bit halves swapped: (x0+x1)+(x2+x3)
        return Avx512F.PermuteVar16x32(q, Vector512.Create(0, 4, 8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).GetLower().GetLower();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Four(Vector512<double> a, Vector512<double> b, Vector512<double> c, Vector512<double> d)
    {
        var ab = Avx512F.Shuffle4x128(a, b, 0x44) + Avx512F.Shuffle4x128(a, b, 0xEE);
        var cd = Avx512F.Shuffle4x128(c, d, 0x44) + Avx512F.Shuffle4x128(c, d, 0xEE);
        var q = Avx512F.Shuffle4x128(ab, cd, 0x88) + Avx512F.Shuffle4x128(ab, cd, 0xDD);
        q += Avx512F.Permute2x64(q, 0x55); // the two lanes of each block swapped: x0+x1
        return Avx512F.PermuteVar8x64(q, Vector512.Create(0L, 2, 4, 6, 0, 0, 0, 0)).GetLower();
    }
}
