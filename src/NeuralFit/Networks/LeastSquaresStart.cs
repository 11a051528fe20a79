using NeuralFit.Numerics;

namespace NeuralFit.Networks;

/// <summary>
/// Starts a network at the least-squares fit of its last layers to the training set, with the hidden layers as they
/// were drawn: the output is linear in the last hidden layer's activations, so the best output weights are one small
/// linear least-squares problem (the idea behind variable projection, Golub and Pereyra 1973, and of initialising
/// the output layer by regression). With Nguyen–Widrow's hidden layers, whose kinks or bends already sit where the
/// data are, the network then starts as the best spline on those knots instead of a random one, and a solver only
/// has to move the knots. The units of a ReLU-family last hidden layer that are on over all the data (Nguyen–Widrow
/// starts them so, see <see cref="SplineKnots"/>) are linear there and are folded into the output: the features are
/// the layer before them together with the layer's units that bend inside the data, and the fit is written into both
/// layers (a rank-one change of the linear units' weights, their biases raised so they stay linear over the data,
/// and the bending units' output weights).
/// </summary>
internal static class LeastSquaresStart
{
    /// <summary>Most features fitted: the normal equations are features² numbers.</summary>
    const int MaxFeatures = 2048;

    /// <summary>
    /// Fewest training samples per fitted coefficient. With fewer, the fit would follow the noise of the data (with as
    /// many coefficients as samples it interpolates them), and a run with early stopping would start overfitted; at
    /// ten per coefficient the fitted values carry about a tenth of the noise's variance.
    /// </summary>
    public const int SamplesPerCoefficient = 10;

    /// <summary>
    /// Rows per forward pass. The features are computed a block at a time, so beside the features themselves (the
    /// (features + 1) × n matrix the normal equations are built from) only a block's activations are held: on the
    /// 32,100-row subsample of an 8-32-1 fit that is 8.5 MB instead of about 40 MB. The blocks are full (see
    /// <see cref="ForwardBlocks"/>), so the start is the same, to the last bit, as from one pass over all rows.
    /// </summary>
    internal const int BlockRows = 1024;

    /// <param name="x">Training inputs in the network's units, row-major (n, inputs).</param>
    /// <param name="y">Training targets in the network's units, row-major (n, outputs).</param>
    /// <param name="blockRows">Rows per forward pass (tests compare block sizes).</param>
    /// <returns>False, leaving the parameters as they were, when the shape has nothing to fit (no hidden layer), the
    /// data are too few for the features, or the fit is not usable. With several outputs each output's weights are
    /// its own least-squares fit on the same features; a layer folded into the output is for one output only.</returns>
    public static bool Apply(NetworkShape shape, double[] parameters, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int blockRows = BlockRows)
    {
        int layers = shape.LayerCount, outputs = shape.Outputs, n = y.Length / outputs;
        if (layers < 2 || n == 0) return false;
        var net = new Mlp<double>(shape, parameters);
        var blocks = new ForwardBlocks(shape, net, n, blockRows);

        // Units of a ReLU-family last hidden layer that are on over all the data are linear there: they fold into the
        // output, and the layer before them gives the features instead; the units that bend inside the data stay features.
        int before = layers - 2, h = shape.Slots[before].FanOut;
        var linear = new bool[h];
        if (outputs == 1 && before >= 1 && shape.Activation.IsReluFamily()) // folding rewrites one output's weights
        {
            linear.AsSpan().Fill(true);
            for (int start = 0, rows; start < n; start += rows)
            {
                rows = blocks.Run(x, start);
                for (int k = 0; k < h; k++) linear[k] = linear[k] && AllOn(blocks.Z(before, k));
            }
        }
        bool folded = linear.Contains(true);
        int featureLayer = folded ? before - 1 : before;
        var bending = Enumerable.Range(0, h).Where(k => folded && !linear[k]).ToArray();
        int m = shape.Slots[featureLayer].FanOut, features = m + bending.Length;
        if (features > MaxFeatures || n < SamplesPerCoefficient * (features + 1)) return false;
        var columns = new double[(features + 1) * n]; // the features, feature-major, and a row of ones for the constant
        for (int start = 0, rows; start < n; start += rows)
        {
            rows = blocks.Run(x, start);
            for (int j = 0; j < m; j++) blocks.A(featureLayer, j).CopyTo(columns.AsSpan(j * n + start, rows));
            for (int u = 0; u < bending.Length; u++) blocks.A(before, bending[u]).CopyTo(columns.AsSpan((m + u) * n + start, rows));
        }
        columns.AsSpan(features * n, n).Fill(1);
        var normal = ScaledLeastSquares.Of(columns, features + 1, n); // scales columns in place: they are not read after
        if (outputs > 1) return FitEachOutput(shape, parameters, normal, features, n, y);
        var coefficients = normal.Solve(y);
        if (coefficients is null) return false;
        var c = coefficients.AsSpan(0, m);
        double d = coefficients[features];

        var output = shape.Slots[layers - 1];
        var w3 = parameters.AsSpan(output.WeightOffset, output.WeightCount);
        ref double b3 = ref parameters[output.BiasOffset];
        if (!folded)
        {
            c.CopyTo(w3);
            b3 = d;
            return true;
        }
        // Over the linear units L, W2ᵀw3 must become c: W2 += w3 (c − W2ᵀw3)ᵀ / ‖w3‖²; then b2 keeps those units on,
        // and b3 restores the constant. The bending units keep their weights and get their fitted output weights.
        var s2 = shape.Slots[before];
        var w2 = parameters.AsSpan(s2.WeightOffset, s2.WeightCount);
        var b2 = parameters.AsSpan(s2.BiasOffset, s2.FanOut);
        double norm = 0;
        for (int k = 0; k < h; k++) if (linear[k]) norm += w3[k] * w3[k];
        if (!(norm > 0)) return false;
        for (int j = 0; j < m; j++)
        {
            double current = 0;
            for (int k = 0; k < h; k++) if (linear[k]) current += w2[k * m + j] * w3[k];
            double change = (c[j] - current) / norm;
            for (int k = 0; k < h; k++) if (linear[k]) w2[k * m + j] += w3[k] * change;
        }
        for (int u = 0; u < bending.Length; u++) w3[bending[u]] = coefficients[m + u];
        var lo = new double[h];
        var hi = new double[h];
        lo.AsSpan().Fill(double.PositiveInfinity);
        hi.AsSpan().Fill(double.NegativeInfinity);
        for (int start = 0, rows; start < n; start += rows) // the feature layer is before the weights changed
        {
            rows = blocks.Run(x, start);
            for (int k = 0; k < h; k++)
            {
                if (!linear[k]) continue;
                for (int i = 0; i < rows; i++)
                {
                    double z = 0;
                    for (int j = 0; j < m; j++) z += w2[k * m + j] * blocks.A(featureLayer, j)[i];
                    (lo[k], hi[k]) = (Math.Min(lo[k], z), Math.Max(hi[k], z));
                }
            }
        }
        double constant = d;
        for (int k = 0; k < h; k++)
        {
            if (!linear[k]) continue;
            b2[k] = -lo[k] + 0.05 * Math.Max(hi[k] - lo[k], 1e-12); // the kink just below the data, as Nguyen–Widrow puts it
            constant -= w3[k] * b2[k];
        }
        b3 = constant;
        return true;
    }

    /// <summary>Output o's weights and bias: the least-squares fit of its targets on the last hidden layer's activations.</summary>
    static bool FitEachOutput(NetworkShape shape, double[] parameters, ScaledLeastSquares normal, int m, int n, ReadOnlySpan<double> y)
    {
        int outputs = shape.Outputs;
        var solutions = new double[outputs][];
        var column = new double[n];
        for (int o = 0; o < outputs; o++)
        {
            for (int i = 0; i < n; i++) column[i] = y[i * outputs + o];
            if (normal.Solve(column) is not { } c) return false;
            solutions[o] = c;
        }
        var slot = shape.Slots[^1];
        for (int o = 0; o < outputs; o++)
        {
            solutions[o].AsSpan(0, m).CopyTo(parameters.AsSpan(slot.WeightOffset + o * m, m));
            parameters[slot.BiasOffset + o] = solutions[o][m];
        }
        return true;
    }

    static bool AllOn(ReadOnlySpan<double> z)
    {
        foreach (var v in z) if (!(v > 0)) return false;
        return true;
    }
}
