using System.Numerics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// NeuralFit's own tanh and sigmoid, written once over <see cref="ISimdOps{TVec, T}"/> so a product's epilogue applies
/// them while z is in registers. Every lane is computed alone with the same operations at every width, the scalar one
/// included (only <see cref="ISimdOps{TVec, T}.FusedMultiplyAdd"/>, which rounds once everywhere, and exactly
/// rounded +, −, ×, ÷): a result depends on the element's value only, never on its neighbours, its index or the
/// array's address, so a run gives the same bits at any batch size, width or core count.
///
/// Both rest on expm1(y) for y ≥ 0 (no cancellation near 0, so tanh of a tiny z is z to the last bit):
/// y = k ln2 + r with |r| ≤ ln2/2 (Cody and Waite's reduction, exact with a fused multiply-add), expm1(r) by its
/// Taylor series (truncation below 0.1 ulp at |r| = ln2/2), and expm1(y) = 2^k expm1(r) + (2^k − 1).
/// Accuracy, measured against Math.Tanh / MathF.Tanh and 1/(1 + exp(−z)) in ElementFunctionTests: see the bounds
/// stated there.
/// </summary>
internal static class ElementFunctions<T, TVec, TOps>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TVec : struct
    where TOps : ISimdOps<TVec, T>
{
    static bool IsDouble
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] get => typeof(T) == typeof(double);
    }

    /// <summary>|z| from which tanh(z) is ±1 once rounded: 1 − tanh(z) ≈ 2e^(−2z) is below half an ulp under 1 from
    /// z = 27 ln2 / 2 ≈ 19.06 in float64 (12.5 ln2 ≈ 9.01 in float32). Capping there keeps expm1 far from overflow.</summary>
    static T TanhCap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.CreateTruncating(IsDouble ? 20.0 : 10.0);
    }

    /// <summary>|z| up to which sigmoid is computed: σ(−y) = 1/(e^y + 1) is a normal number up to y = 1022 ln2 =
    /// 708.39642 in float64 (126 ln2 = 87.336545 in float32), and 2^k stays within the exponents. Below −cap σ is returned as +0, as flush-to-zero hardware
    /// would: it is under the smallest normal number there. Above +cap it is 1 to the last bit.</summary>
    static T SigmoidCap
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] get => T.CreateTruncating(IsDouble ? 708.3964 : 87.3365);
    }

    /// <summary>tanh(z) lane by lane: from u = expm1(2|z|), u / (u + 2) with z's sign; NaN stays NaN, ±∞ gives ±1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Tanh(TVec z)
    {
        TVec y = TOps.MinNumber(TOps.Abs(z), TOps.Broadcast(TanhCap));
        TVec twice = TOps.Add(y, y);
        var (scale, p) = ExpM1Parts(twice);
        // u/(u + 2) below tanh = 1/2 (2|z| = ln 3), 1 − 2/(u + 2) above: there u + 2 may round (2^k + 1 is not exact from
        // k = 54, or 25 in float32) and 2/(u + 2)'s error is a fraction of the result's last place. One division for both.
        TVec two = TOps.Broadcast(T.CreateTruncating(2));
        TVec aboveHalf = TOps.Subtract(twice, TOps.Broadcast(T.CreateTruncating(1.0986122886681098))); // ln 3
        TVec q = TOps.Divide(TOps.SelectPositive(aboveHalf, two, ExpM1(scale, p)), ExpM1PlusTwo(scale, p));
        TVec t = TOps.SelectPositive(aboveHalf, TOps.Subtract(TOps.Broadcast(T.One), q), q);
        return TOps.KeepNaN(TOps.CopySign(t, z), z);
    }

    /// <summary>σ(z) = 1/(1 + e^(−z)) lane by lane: with u = expm1(|z|), σ(−|z|) = 1/(u + 2) and σ(|z|) = 1 − 1/(u + 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Sigmoid(TVec z)
    {
        TVec cap = TOps.Broadcast(SigmoidCap);
        var (scale, p) = ExpM1Parts(TOps.MinNumber(TOps.Abs(z), cap));
        TVec one = TOps.Broadcast(T.One);
        TVec below = TOps.Divide(one, ExpM1PlusTwo(scale, p));
        TVec s = TOps.SelectPositive(z, TOps.Subtract(one, below), below);
        s = TOps.SelectPositive(TOps.Add(z, cap), s, TOps.Zero); // z + cap is exact near −cap (Sterbenz)
        return TOps.KeepNaN(s, z);
    }

    /// <summary>expm1(y) = 2^k p + (2^k − 1), rounded once: 2^k − 1 is exact up to k = 53 (24 in float32), and past
    /// that its rounding is far below the result's last place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ExpM1(TVec scale, TVec p) => TOps.FusedMultiplyAdd(scale, p, TOps.Subtract(scale, TOps.Broadcast(T.One)));

    /// <summary>expm1(y) + 2 = 2^k p + (2^k + 1), rounded once rather than twice.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec ExpM1PlusTwo(TVec scale, TVec p) => TOps.FusedMultiplyAdd(scale, p, TOps.Add(scale, TOps.Broadcast(T.One)));

    /// <summary>e^y − 1 = 2^k (p + 1) − 1 for 0 ≤ y (not NaN) up to the caps above, as 2^k and p = expm1(r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static (TVec Scale, TVec P) ExpM1Parts(TVec y)
    {
        // k = round(y / ln2) by the shifter: y/ln2 + S rounds to an integer in the last place, k = (that) − S exactly
        TVec shifter = TOps.Broadcast(T.CreateTruncating(IsDouble ? 6755399441055744.0 : 12582912.0)); // 1.5·2^52, 1.5·2^23
        TVec shifted = TOps.FusedMultiplyAdd(y, TOps.Broadcast(T.CreateTruncating(1.4426950408889634)), shifter);
        TVec k = TOps.Subtract(shifted, shifter);
        // r = y − k ln2 with ln2 = hi + lo: y − k·hi is exact (a multiple of hi's last place below 1/2), so one rounding
        TVec r = TOps.FusedMultiplyAdd(k, TOps.Broadcast(-Ln2High), y);
        r = TOps.FusedMultiplyAdd(k, TOps.Broadcast(-Ln2Low), r);
        // expm1(r) = r + r²(1/2! + r/3! + … ): to 1/13! in float64, 1/8! in float32 (the next term is under 0.1 ulp of r),
        // by Estrin's scheme, pairs c_n + c_(n+1) r then Horner's rule in r²: half the chain of dependent multiply-adds
        TVec r2 = TOps.Multiply(r, r), q;
        if (IsDouble)
        {
            q = Pair(r, 12, 13);
            q = TOps.FusedMultiplyAdd(q, r2, Pair(r, 10, 11));
            q = TOps.FusedMultiplyAdd(q, r2, Pair(r, 8, 9));
            q = TOps.FusedMultiplyAdd(q, r2, Pair(r, 6, 7));
        }
        else q = TOps.FusedMultiplyAdd(TOps.Broadcast(T.CreateTruncating(1 / 40320.0)), r2, Pair(r, 6, 7));
        q = TOps.FusedMultiplyAdd(q, r2, Pair(r, 4, 5));
        q = TOps.FusedMultiplyAdd(q, r2, Pair(r, 2, 3));
        return (TOps.PowerOfTwoFromShifted(shifted), TOps.FusedMultiplyAdd(r2, q, r));
    }

    static T Ln2High
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] get => IsDouble ? T.CreateTruncating(0.6931471805599453) : T.CreateTruncating(0.6931472f);
    }

    /// <summary>ln2 − <see cref="Ln2High"/>, from the float64 pair (ln2 = 0.6931471805599453 + 2.3190468138462996e-17).</summary>
    static T Ln2Low
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)] get => IsDouble ? T.CreateTruncating(2.3190468138462996e-17) : T.CreateTruncating(0.6931471805599453 - 0.6931472f + 2.3190468138462996e-17);
    }

    /// <summary>1/n! + r/(n + 1)!.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static TVec Pair(TVec r, int n, int next) =>
        TOps.FusedMultiplyAdd(r, TOps.Broadcast(T.CreateTruncating(1 / Factorial(next))), TOps.Broadcast(T.CreateTruncating(1 / Factorial(n))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static double Factorial(int n) => n switch
    {
        2 => 2, 3 => 6, 4 => 24, 5 => 120, 6 => 720, 7 => 5040, 8 => 40320, 9 => 362880, 10 => 3628800,
        11 => 39916800, 12 => 479001600, 13 => 6227020800, _ => double.NaN,
    };
}
