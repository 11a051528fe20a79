using System.Numerics;
using NeuralFit.Networks;

namespace NeuralFit.Diagnostics.Probes;

/// <summary>Turns one layer's buffers after a probe pass into a <see cref="LayerSnapshot"/>.</summary>
static class LayerStats
{
    /// <summary>
    /// Beyond these outputs a tanh or sigmoid unit passes back at most 4 % of its peak derivative (tanh:
    /// 1 − a² &lt; 0.02 of a peak of 1 at |a| > 0.99; sigmoid: a(1 − a) &lt; 0.0099 of a peak of 0.25 at a &lt; 0.01
    /// or a > 0.99): gradients through it are attenuated 25-fold or more.
    /// </summary>
    static bool IsSaturated(Activation act, double a) => act switch
    {
        Activation.Tanh => Math.Abs(a) > 0.99,
        Activation.Sigmoid => a < 0.01 || a > 0.99,
        _ => false,
    };

    /// <summary>A unit is saturated when it is pinned on at least 95 % of probe inputs: it can no longer learn
    /// from almost any sample.</summary>
    const double SaturatedShare = 0.95;

    /// <param name="updateKnown">False when the weights were put back (early stopping's best) after the last update:
    /// their distance from the weights before that update is not a step, so the update ratio is left undefined.</param>
    public static LayerSnapshot Measure<T>(Mlp<T> net, int l, Workspace<T> grid, int gridN, Workspace<T> sample, int sampleN,
        T[] gradient, T[] previous, int step, int[][] lastActive, bool updateKnown = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = net.Shape;
        var slot = shape.Slots[l];
        bool isOutput = l == shape.LayerCount - 1;
        var act = isOutput ? Activation.Linear : shape.Activation;
        int units = slot.FanOut, probes = gridN + sampleN;
        var active = new int[units];
        int words = (probes + 63) / 64;
        var pattern = new ulong[units * words];
        int dead = 0, saturated = 0, stuck = 0, oneSign = 0;
        double sumA = 0, sumA2 = 0, sumZ = 0, sumZ2 = 0;
        for (int u = 0; u < units; u++)
        {
            int activeOnGrid = 0, pinned = 0;
            var bits = pattern.AsSpan(u * words, words);
            Accumulate(grid, l, u, gridN, act, bits, 0, ref activeOnGrid, ref pinned, ref sumA, ref sumA2, ref sumZ, ref sumZ2);
            int activeOnSample = 0;
            Accumulate(sample, l, u, sampleN, act, bits, gridN, ref activeOnSample, ref pinned, ref sumA, ref sumA2, ref sumZ, ref sumZ2);
            active[u] = activeOnGrid + activeOnSample;
            if (!isOutput && act.IsReluFamily() && active[u] == 0) dead++;
            bool sameSign = activeOnGrid == 0 || activeOnGrid == gridN;
            if (!isOutput && pinned >= SaturatedShare * probes)
            {
                saturated++;
                if (sameSign) stuck++;
            }
            if (sameSign) oneSign++;
            if (!isOutput && active[u] > 0) lastActive[l][u] = step;
        }
        double count = Math.Max(1, (double)units * probes);
        double meanA = sumA / count, meanZ = sumZ / count;

        var w = net.Weights(l);
        var layerParams = net.Parameters.AsSpan(slot.WeightOffset, slot.End - slot.WeightOffset);
        var layerPrevious = previous.AsSpan(slot.WeightOffset, slot.End - slot.WeightOffset);
        var layerGradient = gradient.AsSpan(slot.WeightOffset, slot.End - slot.WeightOffset);
        double gradNorm = Norm(layerGradient);
        return new LayerSnapshot
        {
            Layer = l + 1,
            Units = units,
            FanIn = slot.FanIn,
            IsOutput = isOutput,
            ActiveCounts = active,
            ActivePattern = pattern,
            PatternWords = words,
            DeadUnits = dead,
            SaturatedUnits = saturated,
            StuckUnits = stuck,
            OneSignUnits = oneSign,
            ActivationMean = meanA,
            ActivationStd = Math.Sqrt(Math.Max(0, sumA2 / count - meanA * meanA)),
            PreActivationMean = meanZ,
            PreActivationStd = Math.Sqrt(Math.Max(0, sumZ2 / count - meanZ * meanZ)),
            WeightNorm = Norm(layerParams),
            WeightMean = Mean(w),
            NegativeWeightFraction = NegativeShare(w),
            GradientNorm = gradNorm,
            GradientRms = gradNorm / Math.Sqrt(layerGradient.Length),
            UpdateRatio = updateKnown ? Ratio(DistanceNorm(layerParams, layerPrevious), Norm(layerPrevious), slot.FanIn, slot.FanOut) : double.NaN,
        };
    }

    static void Accumulate<T>(Workspace<T> ws, int l, int u, int n, Activation act, Span<ulong> bits, int firstBit, ref int active, ref int pinned,
        ref double sumA, ref double sumA2, ref double sumZ, ref double sumZ2) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var z = ws.Z[l].AsSpan(u * n, n);
        var a = ws.A[l].AsSpan(u * n, n);
        for (int i = 0; i < n; i++)
        {
            double zi = double.CreateTruncating(z[i]), ai = double.CreateTruncating(a[i]);
            if (zi > 0)
            {
                active++;
                bits[(firstBit + i) >> 6] |= 1UL << ((firstBit + i) & 63);
            }
            if (IsSaturated(act, ai)) pinned++;
            sumA += ai; sumA2 += ai * ai; sumZ += zi; sumZ2 += zi * zi;
        }
    }

    /// <summary>Relative size of an update; undefined (NaN) for a layer far smaller than any standard init makes it.</summary>
    static double Ratio(double update, double weights, int fanIn, int fanOut)
    {
        double glorot = Math.Sqrt(2.0 * fanIn * fanOut / (fanIn + fanOut));
        return weights >= 0.01 * glorot ? update / weights : double.NaN;
    }

    static double Norm<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (var x in v) s += double.CreateTruncating(x) * double.CreateTruncating(x);
        return Math.Sqrt(s);
    }

    static double DistanceNorm<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        for (int i = 0; i < a.Length; i++) { double d = double.CreateTruncating(a[i] - b[i]); s += d * d; }
        return Math.Sqrt(s);
    }

    static double Mean<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        double s = 0;
        foreach (var x in v) s += double.CreateTruncating(x);
        return v.Length == 0 ? 0 : s / v.Length;
    }

    static double NegativeShare<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = 0;
        foreach (var x in v) if (x < T.Zero) n++;
        return v.Length == 0 ? 0 : (double)n / v.Length;
    }
}
