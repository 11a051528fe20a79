using NeuralFit.Networks;

namespace NeuralFit.Diagnostics;

/// <summary>
/// The most detail a network of a given size can draw along any line through its inputs (restricted to a line, a
/// network is a network of one input with the same units, so these bounds hold for any number of inputs). Null
/// where no such bound is known (deep smooth networks, non-monotone activations).
/// </summary>
internal static class NetworkReach
{
    /// <summary>
    /// Turning points the output can have along a line.
    /// <list type="bullet">
    /// <item>One layer of n tanh or sigmoid units: the output's slope is a sum of n one-humped bumps (each unit's
    ///   derivative), which can change sign at most twice per bump after the first: 2n − 2 (a search over weights,
    ///   n = 1..4, finds exactly 0, 2, 4, 6).</item>
    /// <item>ReLU family: the output is linear between kinks and turns only at one. A unit adds at most one kink on
    ///   each linear piece of its layer's input (where its pre-activation crosses zero there), so a layer of n units
    ///   multiplies the pieces by at most n + 1, and widths n₁..n_L cut a line into at most ∏(n_l + 1) pieces: at most
    ///   ∏(n_l + 1) − 1 kinks, and as many turns.</item>
    /// </list>
    /// </summary>
    public static long? TurningPoints(IReadOnlyList<int> layers, Activation activation)
    {
        if (layers.Count == 0) return 0;
        if (activation.IsBounded() && layers.Count == 1) return 2L * layers[0] - 2;
        if (activation.IsReluFamily()) return LinearPieces(layers, activation) - 1;
        return null;
    }

    /// <summary>Linear pieces a ReLU-family network can cut a line into: ∏(n_l + 1), capped far above any use.</summary>
    public static long? LinearPieces(IReadOnlyList<int> layers, Activation activation)
    {
        if (!activation.IsReluFamily()) return null;
        long pieces = 1;
        foreach (int width in layers) pieces = Math.Min(pieces * (width + 1), 1L << 40);
        return pieces;
    }
}
