namespace NeuralFit.Networks;

/// <summary>
/// Where a one-input ReLU-family network starts its kinks. Such a network is a linear spline (continuous, piecewise
/// linear): its knots are the first layer's kinks and the points where a later unit's input changes sign. A spline
/// with K knots has K + 2 coefficients: a constant, a slope and a change of slope at each knot. The output bias gives
/// the constant and each kinked unit one change of slope; the slope needs a unit that is on over all the data. With
/// every first-layer kink inside the data that coefficient is missing, and the fit pays for it at an end of the range
/// (ln(x) on [0.01, 1]: 1e-2 at x = 0.01 with 59 knots). So one first-layer unit starts linear over the data.
///
/// A second layer that starts linear over the data (every kink below it) adds no knot, and training rarely moves one
/// into the data afterwards (a unit on over all the data has no gradient toward switching off somewhere): the
/// question's 1-50-10-1 network then stays a spline of about 50 pieces, whose best worst-case error on ln(x) over
/// [0.01, 1] is about 5.3e-4 however it is trained. With two hidden layers the second layer's first unit stays linear
/// over the data (it carries the spline on the first layer's knots to the output; <see cref="LeastSquaresStart"/> fits
/// it together with the others' output weights), and each other unit adds a knot: it copies the first-layer unit that
/// is on at its knot t with the nearest kink, shifted to turn on at t, relu(a_j − a_j(t)) = |w_j|·relu(±(x − t)).
///
/// The plan: K = (n₁ − 1) + (n₂ − 1) knots at shares (i + ½)/K of a placement the caller gives: equal shares of ∫√|f''|
/// of the target (de Boor's knots for piecewise-linear fits, where a piece of width h errs by about h²|f''|/8), else
/// of the training inputs. The second layer's n₂ − 1 are spread evenly among the K, the rest go to the first layer.
/// For 1-50-10-1 on ln(x) that is 58 log-spaced knots, whose spline's best worst-case error is about 3.9e-4 (it falls as
/// 1/K²). Deeper networks keep their later layers linear over the data: a copy of a unit two layers down has no such
/// simple form, and a second-to-last layer of copies would narrow what the last layer can combine.
/// </summary>
internal sealed class SplineKnots
{
    readonly double[] _first, _second;

    SplineKnots(double[] first, double[] second) => (_first, _second) = (first, second);

    /// <summary>The plan for a one-input ReLU-family network with a first layer of at least two units; else null.</summary>
    public static SplineKnots? For(NetworkShape shape)
    {
        if (shape.Inputs != 1 || !shape.Activation.IsReluFamily() || shape.Hidden.Length == 0 || shape.Hidden[0] < 2) return null;
        int kinked = shape.Hidden[0] - 1;
        int copies = shape.Hidden.Length == 2 ? shape.Hidden[1] - 1 : 0, total = kinked + copies;
        var isCopy = new bool[total];
        for (int k = 0; k < copies; k++) isCopy[(int)((k + 0.5) * total / copies)] = true; // distinct: total/copies > 1
        var first = new List<double> { double.NaN }; // unit 0: linear over the data
        var second = new List<double>(copies);
        for (int i = 0; i < total; i++) (isCopy[i] ? second : first).Add((i + 0.5) / total);
        return new SplineKnots([.. first], [.. second]);
    }

    /// <summary>The share of the placement at which first-layer unit <paramref name="unit"/> has its kink; NaN for the
    /// unit that starts linear over the data.</summary>
    public double FirstLayer(int unit) => _first[unit];

    /// <summary>The share at which second-layer unit <paramref name="unit"/> (≥ 1; unit 0 stays linear) turns on.</summary>
    public double SecondLayer(int unit) => _second[unit - 1];

    /// <summary>Knots the second layer places: one per unit but the first (none for other depths).</summary>
    public int Copies => _second.Length;
}
