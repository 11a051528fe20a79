using NeuralFit.Sampling;

namespace NeuralFit.Networks;

/// <summary>
/// Nguyen–Widrow initialisation (Nguyen and Widrow 1990, "Improving the learning speed of 2-layer neural networks
/// by choosing initial values of the adaptive weights"), as MATLAB's initnw, fitnet's default. Each hidden layer of S
/// units with R inputs gets weight vectors of length 0.7·S^(1/R) in random directions and biases spread evenly, so
/// the units' active regions tile the input box [−1, 1]^R instead of all sitting at the origin; both are scaled to
/// the activation's active range (±2 for tanh as MATLAB's tansig, ±4 for sigmoid, ±1 for the ReLU family, whose
/// kinks are then spread evenly). Designed for inputs in [−1, 1], which min-max normalisation gives.
///
/// Given the training inputs, the spreading follows the data instead of the box: unit o's centre is the
/// (o + ½)/S quantile of the layer's inputs projected on its direction, and with one input its slope is set so its
/// active region spans the gap between neighbouring centres, as NW's does for evenly spread data (where the two
/// coincide). A log-spaced sample then gets units packed where its points are, e.g. where ln(x) bends most.
/// Deeper layers see the training inputs passed through the layers before them; deeper ReLU-family layers start
/// linear over the data (every kink just below it), so the network starts as a linear spline with the first layer's
/// kinks as knots, and training bends the later layers only where that pays. The output layer gets weights
/// from U(−1, 1), as initnw gives a linear layer, and its bias from the bias init.
/// </summary>
internal static class NguyenWidrow
{
    /// <summary>Most training inputs used to place the units.</summary>
    const int MaxSample = 2048;

    /// <param name="inputs">Training inputs in the network's units, row-major (n, shape.Inputs); empty for NW's even spread.</param>
    /// <param name="knotAt">For a one-input ReLU-family network (<see cref="SplineKnots"/>): the input (network units) at
    /// each share of the knots' placement, from 0 at the low end of the data to 1 at the high end; by default the
    /// training inputs' quantiles.</param>
    public static void Fill(NetworkShape shape, Span<double> parameters, InitSpec outputBias, Rng rng, ReadOnlySpan<double> inputs = default,
        Func<double, double>? knotAt = null)
    {
        double[] layerInputs = Subsample(inputs, shape.Inputs);
        var knots = layerInputs.Length > 0 ? SplineKnots.For(shape) : null;
        double[] sorted = knots is null ? [] : layerInputs.Order().ToArray();
        knotAt ??= share => Quantile(sorted, share);
        for (int l = 0; l < shape.LayerCount; l++)
        {
            var s = shape.Slots[l];
            var w = parameters.Slice(s.WeightOffset, s.WeightCount);
            var b = parameters.Slice(s.BiasOffset, s.FanOut);
            if (l == shape.LayerCount - 1)
            {
                for (int i = 0; i < w.Length; i++) w[i] = rng.Uniform(-1, 1);
                outputBias.Fill(b, s.FanIn, s.FanOut, rng);
                continue;
            }
            if (l == 0 && knots is not null) PlaceKnots(knots, knotAt, sorted, s, w, b);
            else FillHidden(shape.Activation, s, w, b, rng, layerInputs, startLinear: l > 0 && shape.Activation.IsReluFamily());
            if (l == 1 && knots is { Copies: > 0 })
            {
                var first = shape.Slots[0];
                PlaceCopies(knots, knotAt, parameters.Slice(first.WeightOffset, first.WeightCount), parameters.Slice(first.BiasOffset, first.FanOut), s, w, b);
            }
            if (layerInputs.Length > 0) layerInputs = Propagate(shape.Activation, s, w, b, layerInputs);
        }
    }

    /// <summary>
    /// The first layer of a one-input ReLU-family network by its <see cref="SplineKnots"/> plan: each unit has its kink
    /// at its knot, NW's slope for the gap its knot covers, and faces the end with fewer of the training inputs (on
    /// between its kink and that end), so that no unit is on over nearly all the data. Such a unit would be nearly the same feature as
    /// a line, differing only on the few points past its kink, and the least-squares start and lm's normal equations
    /// would hinge on those few points (ln(x) on [0.01, 1] with units facing random ways: the start's worst error
    /// 5.6e-4 or 9.6e-4 by seed, at x = 0.01). The plan's linear unit has its kink 5 % of the data's range below it.
    /// The seed then changes nothing the least-squares start does not overwrite: the start is the same spline.
    /// </summary>
    static void PlaceKnots(SplineKnots plan, Func<double, double> knotAt, double[] sorted, DenseSlot s, Span<double> w, Span<double> b)
    {
        int units = s.FanOut;
        double lo = sorted[0], hi = sorted[^1], range = Math.Max(hi - lo, 1e-12);
        for (int o = 0; o < units; o++)
        {
            double share = plan.FirstLayer(o), knot, slope, sign;
            if (double.IsNaN(share)) (knot, slope, sign) = (lo - 0.05 * range, 2 / range, 1);
            else
            {
                knot = knotAt(share);
                double gap = knotAt(Math.Min(1, share + 0.5 / units)) - knotAt(Math.Max(0, share - 0.5 / units));
                slope = 1.4 / Math.Max(gap, 1e-3 * range); // NW's 0.7·S·half for a gap of 2/S; half = 1 for the ReLU family
                int below = Array.BinarySearch(sorted, knot);
                sign = (below >= 0 ? below : ~below) < sorted.Length / 2 ? -1 : 1;
            }
            w[o] = sign * slope;
            b[o] = -w[o] * knot;
        }
    }

    /// <param name="startLinear">Put every unit's kink just below the data, so the layer starts linear over it.</param>
    static void FillHidden(Activation act, DenseSlot s, Span<double> w, Span<double> b, Rng rng, double[] data, bool startLinear)
    {
        int units = s.FanOut, inputs = s.FanIn, n = data.Length / inputs;
        double half = ActiveHalfWidth(act), scale = half * 0.7 * Math.Pow(units, 1.0 / inputs);
        var projection = new double[n];
        for (int o = 0; o < units; o++)
        {
            var row = w.Slice(o * inputs, inputs);
            double norm = 0;
            for (int k = 0; k < inputs; k++) norm += (row[k] = rng.NextGaussian()) * row[k];
            norm = Math.Sqrt(norm);
            for (int k = 0; k < inputs; k++) row[k] /= norm; // a unit direction
            double spread = units == 1 ? 0 : -1 + 2.0 * o / (units - 1);
            if (n == 0)
            {
                for (int k = 0; k < inputs; k++) row[k] *= scale;
                b[o] = scale * spread * Math.Sign(row[0]);
                continue;
            }
            for (int i = 0; i < n; i++)
            {
                double z = 0;
                for (int k = 0; k < inputs; k++) z += row[k] * data[i * inputs + k];
                projection[i] = z;
            }
            Array.Sort(projection);
            // Mirror the quantile for a unit facing the other way, so unit o's centre lies at the same place along the
            // first input whatever its direction's sign: NW's b = |w|·spread·sign(w₁).
            double q = row[0] >= 0 ? (o + 0.5) / units : 1 - (o + 0.5) / units;
            double centre = Quantile(projection, q);
            double slope = scale;
            if (startLinear)
            {
                double range = Math.Max(projection[^1] - projection[0], 1e-12);
                (slope, centre) = (2 / range, projection[0] - 0.05 * range);
            }
            else if (inputs == 1 && units > 1)
            {
                double gap = Quantile(projection, Math.Min(1, q + 0.5 / units)) - Quantile(projection, Math.Max(0, q - 0.5 / units));
                double range = projection[^1] - projection[0];
                slope = 1.4 * half / Math.Max(gap, 1e-3 * Math.Max(range, 1e-12)); // NW's 0.7·S·half for gap = 2/S
            }
            for (int k = 0; k < inputs; k++) row[k] *= slope;
            b[o] = -slope * centre;
        }
    }

    /// <summary>
    /// Second-layer units 1… of a <see cref="SplineKnots"/> plan (unit 0 stays linear, as drawn): each copies the
    /// first-layer unit that is on at its knot t with the nearest kink, and turns on at t (see <see cref="SplineKnots"/>).
    /// A knot where no first-layer unit is on leaves its unit linear over the data.
    /// </summary>
    static void PlaceCopies(SplineKnots knots, Func<double, double> knotAt, ReadOnlySpan<double> w1, ReadOnlySpan<double> b1, DenseSlot s,
        Span<double> w, Span<double> b)
    {
        int parents = s.FanIn;
        for (int k = 1; k < s.FanOut; k++)
        {
            double t = knotAt(knots.SecondLayer(k));
            int parent = -1;
            double nearest = double.PositiveInfinity;
            for (int j = 0; j < parents; j++)
            {
                double z = w1[j] * t + b1[j], distance = z / Math.Abs(w1[j]);
                if (z > 0 && w1[j] != 0 && distance < nearest) (parent, nearest) = (j, distance);
            }
            if (parent < 0) continue;
            var row = w.Slice(k * parents, parents);
            row.Clear();
            row[parent] = 1;
            b[k] = -(w1[parent] * t + b1[parent]);
        }
    }

    static double Quantile(double[] sorted, double q)
    {
        double at = q * (sorted.Length - 1);
        int lo = (int)Math.Floor(at);
        int hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (at - lo) * (sorted[hi] - sorted[lo]);
    }

    static double[] Subsample(ReadOnlySpan<double> inputs, int width)
    {
        int n = inputs.Length / width;
        if (n <= MaxSample) return inputs.ToArray();
        var sample = new double[MaxSample * width];
        for (int i = 0; i < MaxSample; i++) inputs.Slice((int)((long)i * n / MaxSample) * width, width).CopyTo(sample.AsSpan(i * width, width));
        return sample;
    }

    /// <summary>The sample through one initialised hidden layer: what the next layer will see.</summary>
    static double[] Propagate(Activation act, DenseSlot s, ReadOnlySpan<double> w, ReadOnlySpan<double> b, double[] data)
    {
        int n = data.Length / s.FanIn;
        var output = new double[n * s.FanOut];
        var shape = new NetworkShape(s.FanIn, [s.FanOut], 1, act);
        var single = new double[shape.ParameterCount];
        w.CopyTo(single);
        b.CopyTo(single.AsSpan(s.WeightCount));
        var net = new Mlp<double>(shape, single);
        var ws = new Workspace<double>(shape, n);
        for (int i = 0; i < n; i++)
            for (int k = 0; k < s.FanIn; k++) ws.Input[k * n + i] = data[i * s.FanIn + k];
        net.Forward(ws, n);
        for (int i = 0; i < n; i++)
            for (int u = 0; u < s.FanOut; u++) output[i * s.FanOut + u] = ws.A[0][u * n + i];
        return output;
    }

    static double ActiveHalfWidth(Activation a) => a.Traits().ActiveHalfWidth;
}
