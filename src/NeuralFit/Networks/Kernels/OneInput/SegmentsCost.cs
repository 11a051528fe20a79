namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>
/// When the one-input segments beat the products (<see cref="OneInputSegments{T, TUnits, TNext}"/> against the
/// blocked products with <see cref="OneInputBelow{T, TVec, TOps, TUnits}"/>). The products now skip the work of every
/// first-layer unit whose slope is the same over the whole batch (its kink outside the batch's range of x): they
/// cost little when few kinks lie inside the batch and about width·outputs·n when all do; the segments cost
/// O((n + width)·outputs) either way, a little more the more segments hold samples. So the choice depends on how
/// many kinks lie inside the batch, which training moves, and is made each step from the parameters and the batch
/// (never from a clock: the same run takes the same path every time, on any number of cores).
/// <para>
/// The model: the log of (products' time / segments' time) of a training step, a quadratic in the logs of width,
/// outputs and n, plus terms in the share of units with a kink inside the batch (f), fitted by least squares to
/// 360 steps timed both ways (float32, 1-w-o-1 ReLU networks; w 10–256, o 1–256, n 64–1000, f 0.2–1; AVX-512,
/// Zen 5, each time the least of 7 alternating rounds). It picks the faster path for 89 % of those shapes (the rest
/// within a few per cent of even), losing 1.9 % of step time on average against always picking the faster. Along
/// real training runs of the question's network (1-50-10-1 at batch 50–1024, from its own initialisations and the
/// defaults') the products were faster in 28 of 31 measured states, also at batch 500 with 20–35 of 50 kinks inside
/// the batch (by 10–15 %); for the wide network (1-256-256-1, batch 500–1024, about 205 kinks inside) the segments
/// were 1.7–2.8 times faster.
/// </para>
/// </summary>
internal static class SegmentsCost
{
    // coefficients of 1, ln w, ln o, ln n, f, f·ln n, f·ln o, f·ln w, ln o·ln n, ln w·ln n, ln w·ln o, ln² o, ln² n, ln² w
    static readonly double[] Fit =
        [3.341, -0.4642, -0.4222, -1.132, -0.1959, 0.02835, 0.1337, -0.04534, -0.01327, 0.09733, 0.02068, 0.04568, 0.08852, 0.01813];

    /// <summary>The least share of kinks inside the batch the model was fitted to: below it, it is taken as this
    /// (the products then skip most units, and the segments' cost hardly falls further).</summary>
    public const double LeastShare = 0.2;

    /// <summary>Predicted time of the products over that of the segments for a step of n samples through a first
    /// layer of <paramref name="width"/> one-input units (<paramref name="inside"/> of them with a kink inside the
    /// batch's range of x) and a second of <paramref name="outputs"/> units: above 1, the segments are faster.</summary>
    public static double SpeedUp(int width, int outputs, int n, int inside)
    {
        if (width <= 0 || outputs <= 0 || n <= 0) return 0;
        double lw = Math.Log(width), lo = Math.Log(outputs), ln = Math.Log(n), f = Math.Clamp((double)inside / width, LeastShare, 1);
        double[] c = Fit;
        double log = c[0] + c[1] * lw + c[2] * lo + c[3] * ln + f * (c[4] + c[5] * ln + c[6] * lo + c[7] * lw)
            + c[8] * lo * ln + c[9] * lw * ln + c[10] * lw * lo + c[11] * lo * lo + c[12] * ln * ln + c[13] * lw * lw;
        return Math.Exp(log);
    }

    /// <summary>The most the segments could save at this shape: the better of the least share of kinks inside the
    /// batch and all of them (the log is linear in the share, so one end is the best). The plan makes the segments
    /// pass only when this is above 1.</summary>
    public static double BestSpeedUp(int width, int outputs, int n) =>
        Math.Max(SpeedUp(width, outputs, n, 0), SpeedUp(width, outputs, n, width));

    /// <summary>Units (w0, b0: one input each) whose kink lies inside [xMin, xMax]: z = w·x + b changes sign between
    /// the ends (or is NaN there). Linear units have no kink: 0.</summary>
    public static int KinksInside<T>(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, T xMin, T xMax, bool linear)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (linear) return 0;
        int inside = 0;
        for (int i = 0; i < w0.Length; i++)
        {
            T low = w0[i] * xMin + b0[i], high = w0[i] * xMax + b0[i];
            if (!(low > T.Zero == high > T.Zero) || T.IsNaN(low) || T.IsNaN(high)) inside++;
        }
        return inside;
    }
}
