using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels;

/// <summary>
/// The first two layers of a training step, when the first layer has one input and a piecewise-linear activation
/// (ReLU, leaky ReLU, linear), done segment by segment instead of as products.
/// <para>
/// Each first-layer unit's slope changes at one cut on the x axis (<see cref="SegmentCuts{T}"/>). The sorted cuts
/// split the axis into at most width + 1 segments; on each, every slope is fixed, so the second layer's z is an
/// affine function of x there: z₂ = A[k]·x + B[k], with A, B built once per step by one column update per cut. The
/// backward pass needs, per output o and unit i, only Σ dz₂·s·x and Σ dz₂·s over the batch (the sums of
/// <see cref="OneInputBelow{T,TVec,TOps}"/>): sums of dz₂ and dz₂·x over each segment's run of samples, and prefix
/// sums over the segments, give all of them. So the two layers cost O((batch + width)·outputs) instead of
/// O(batch·width·outputs), and the first layer's activations are never written.
/// </para>
/// <para>
/// The batch is arranged by segment first (<see cref="SegmentedBatch{T}"/>), so each segment is a run of columns:
/// z₂ on a run is z₀ + A·(x − x₀), x₀ the run's first sample, z₀ = A·x₀ + B from float64 tables, which keeps float32
/// results as close as the products' where w₁x and b₁ nearly cancel.
/// </para>
/// </summary>
public sealed class OneInputSegments<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int _width, _outputs, _stride;
    readonly SegmentCuts<T> _cuts;
    readonly SegmentedBatch<T> _batch;
    readonly double[] _a, _b; // (outputs, stride): the backward pass's sums per segment
    readonly double[] _unitWeightSums, _unitBiasSums;
    readonly double[] _w1, _b1, _belowW, _belowB, _stepW, _stepB; // per unit (the steps in cut order)
    readonly T[] _start, _slope; // (outputs, stride): per segment, z at its run's first x, and dz/dx
    readonly T[] _lane;          // 0, 1, … one vector's lane numbers

    public OneInputSegments(NetworkShape shape, int capacity)
    {
        if (!Applies(shape)) throw new ArgumentException("the network's first layer is not one-input piecewise-linear", nameof(shape));
        _width = shape.Slots[0].FanOut;
        _outputs = shape.Slots[1].FanOut;
        _stride = _width + 1; // segments 0…width
        _cuts = new SegmentCuts<T>(_width);
        _batch = new SegmentedBatch<T>(_width, capacity);
        _a = new double[_outputs * _stride];
        _b = new double[_outputs * _stride];
        _start = new T[_outputs * _stride];
        _slope = new T[_outputs * _stride];
        _unitWeightSums = new double[_width];
        _unitBiasSums = new double[_width];
        _w1 = new double[_width];
        _b1 = new double[_width];
        _belowW = new double[_width];
        _belowB = new double[_width];
        _stepW = new double[_width];
        _stepB = new double[_width];
        _lane = Enumerable.Range(0, Vector<T>.Count).Select(l => T.CreateChecked(l)).ToArray();
    }

    /// <summary>
    /// Whether segments beat the products for a batch of n: a model of the time they save, fitted (least squares,
    /// float32, 30 shapes: width 10–256, outputs 1–256, batch 32–1000) to steps timed both ways. The products cost
    /// width·outputs·n multiply-adds; the segments about 16 per output and sample and 114 per output and unit
    /// (tables, sums), less what the products spend besides (per sample and per unit). Small batches over many
    /// units, or narrow layers, stay with the products.
    /// </summary>
    public bool Pays(int n)
    {
        if (Always) return true;
        double w = _width, o = _outputs;
        return w * o * n - 16 * o * n - 114 * o * w + 68 * n + 424 * w - 8830 > 0;
    }

    /// <summary>Networks this path can train: one input, ReLU / leaky ReLU / linear hidden units, at least two layers.</summary>
    public static bool Applies(NetworkShape shape) =>
        shape.LayerCount >= 2 && shape.Inputs == 1 && shape.Activation is Activation.Relu or Activation.LeakyRelu or Activation.Linear;

    /// <summary>Take every batch, whether or not <see cref="Pays"/>: for tests of this path on small shapes.</summary>
    internal bool Always { get; set; }

    /// <summary>True after a <see cref="Forward"/> that did the first two layers (so <see cref="Backward"/> must).</summary>
    public bool Active { get; private set; }

    /// <summary>
    /// Layers 0 and 1 of the forward pass: arranges the batch by segment (reordering ws's samples), then writes layer
    /// 1's z and a, not layer 0's. False, with nothing changed, when it declines (see <see cref="SegmentCuts{T}"/>).
    /// </summary>
    public bool Forward(Mlp<T> net, Workspace<T> ws, int n)
    {
        Active = false;
        if (n == 0 || !Pays(n)) return false;
        if (!_cuts.Place(net.Shape.Activation, net.Weights(0), net.Biases(0)) || !_batch.Arrange(_cuts, ws, n)) return false;
        Tables(net.Weights(1), net.Weights(0), net.Biases(0), net.Biases(1), _batch.Origin);
        switch (net.Shape.LayerCount == 2 ? Activation.Linear : net.Shape.Activation)
        {
            case Activation.Relu: Evaluate<Relu<T>>(ws, n); break;
            case Activation.LeakyRelu: Evaluate<LeakyRelu<T>>(ws, n); break;
            default: Evaluate<Identity<T>>(ws, n); break;
        }
        Active = true;
        return true;
    }

    // Per output o and segment k, layer 1's z = A·x + B there (its bias in B) as z₀ at the run's first x and the
    // slope A: built from the segment below all cuts by one update per cut, in cut order, in float64.
    void Tables(ReadOnlySpan<T> w2, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, ReadOnlySpan<T> b2, ReadOnlySpan<T> origin)
    {
        double[] below = _cuts.Below, above = _cuts.Above;
        int[] order = _cuts.Order;
        for (int i = 0; i < _width; i++)
        {
            (_w1[i], _b1[i]) = (Float64<T>.From(w1[i]), Float64<T>.From(b1[i]));
            (_belowW[i], _belowB[i]) = (below[i] * _w1[i], below[i] * _b1[i]);
        }
        for (int p = 0; p < _width; p++)
        {
            int i = order[p];
            (_stepW[p], _stepB[p]) = ((above[i] - below[i]) * _w1[i], (above[i] - below[i]) * _b1[i]);
        }
        for (int o = 0; o < _outputs; o++)
        {
            var row = w2.Slice(o * _width, _width);
            var start = _start.AsSpan(o * _stride, _width + 1);
            var slope = _slope.AsSpan(o * _stride, _width + 1);
            double sa = 0, sb = Float64<T>.From(b2[o]);
            for (int i = 0; i < row.Length; i++)
            {
                double v = Float64<T>.From(row[i]);
                sa += v * _belowW[i];
                sb += v * _belowB[i];
            }
            start[0] = Float64<T>.To(sa * Float64<T>.From(origin[0]) + sb);
            slope[0] = Float64<T>.To(sa);
            for (int p = 0; p < _width; p++)
            {
                double v = Float64<T>.From(row[order[p]]);
                sa += v * _stepW[p];
                sb += v * _stepB[p];
                start[p + 1] = Float64<T>.To(sa * Float64<T>.From(origin[p + 1]) + sb);
                slope[p + 1] = Float64<T>.To(sa);
            }
        }
    }

    // z[o,j] = z₀[o,k] + A[o,k]·(x_j − x₀[k]) for column j in segment k, a = f(z), a vector of columns at a time:
    // the first segment's coefficients broadcast, each later segment's blended in from its first lane on.
    void Evaluate<TOut>(Workspace<T> ws, int n) where TOut : struct, IActivation<T>
    {
        ReadOnlySpan<int> seg = _batch.Segment[..n];
        int[] starts = _batch.Starts;
        ref T dx = ref MemoryMarshal.GetReference(_batch.Offset);
        ref T z = ref MemoryMarshal.GetArrayDataReference(ws.Z[1]);
        ref T a = ref MemoryMarshal.GetArrayDataReference(ws.A[1]);
        bool shared = ws.Z[1] == ws.A[1];
        int v = Vector<T>.Count;
        var lane = new Vector<T>(_lane);
        for (int o = 0; o < _outputs; o++)
        {
            var start = _start.AsSpan(o * _stride, _width + 1);
            var slope = _slope.AsSpan(o * _stride, _width + 1);
            ref T zo = ref Unsafe.Add(ref z, (nint)o * n);
            ref T ao = ref Unsafe.Add(ref a, (nint)o * n);
            int j = 0;
            for (; j + v <= n; j += v)
            {
                int k0 = seg[j], k1 = seg[j + v - 1];
                var z0 = new Vector<T>(start[k0]);
                var s = new Vector<T>(slope[k0]);
                for (int k = k0 + 1; k <= k1; k++)
                {
                    var from = Vector.GreaterThanOrEqual(lane, new Vector<T>(Float64<T>.To(starts[k] - j)));
                    z0 = Vector.ConditionalSelect(from, new Vector<T>(start[k]), z0);
                    s = Vector.ConditionalSelect(from, new Vector<T>(slope[k]), s);
                }
                var zv = z0 + s * Vector.LoadUnsafe(ref dx, (nuint)j);
                if (!shared) zv.StoreUnsafe(ref zo, (nuint)j);
                Activate<TOut>(zv).StoreUnsafe(ref ao, (nuint)j);
            }
            for (; j < n; j++)
            {
                T zj = start[seg[j]] + slope[seg[j]] * Unsafe.Add(ref dx, j);
                Unsafe.Add(ref zo, j) = zj;
                Unsafe.Add(ref ao, j) = TOut.Forward(zj);
            }
        }
    }

    static Vector<T> Activate<TOut>(Vector<T> z) where TOut : struct, IActivation<T>
    {
        if (typeof(TOut) == typeof(Identity<T>)) return z;
        var positive = Vector.GreaterThan(z, Vector<T>.Zero);
        if (typeof(TOut) == typeof(Relu<T>)) return Vector.BitwiseAnd(positive, z);
        return Vector.ConditionalSelect(positive, z, z * new Vector<T>(TOut.Derivative(-T.One, -T.One)));
    }

    /// <summary>
    /// The backward pass below layer 1, after its delta dz₂ (outputs, n) is made (and its bias gradient summed):
    /// adds layer 1's weight gradient and layer 0's weight and bias gradients into gradient.
    /// </summary>
    public void Backward(Mlp<T> net, Workspace<T> ws, int n, Span<T> gradient)
    {
        ref T x = ref MemoryMarshal.GetArrayDataReference(ws.Input);
        ref T dz = ref MemoryMarshal.GetArrayDataReference(ws.Delta[1]);
        double[] below = _cuts.Below, above = _cuts.Above;
        int[] crossedFrom = _cuts.CrossedFrom;
        ReadOnlySpan<T> w2 = net.Weights(1);
        Span<T> dw2 = net.Weights(gradient, 1), dw1 = net.Weights(gradient, 0), db1 = net.Biases(gradient, 0);
        Array.Clear(_unitWeightSums);
        Array.Clear(_unitBiasSums);
        for (int o = 0; o < _outputs; o++)
        {
            // Σ dz·x and Σ dz over each segment's run, then exclusive prefix sums over the segments
            var sx = _a.AsSpan(o * _stride, _stride);
            var s1 = _b.AsSpan(o * _stride, _stride);
            RunSums(ref Unsafe.Add(ref dz, (nint)o * n), ref x, n, sx, s1);
            double px = 0, p1 = 0;
            for (int k = 0; k <= _width; k++) // exclusive: sx[k] = Σ over segments before k; px, p1 the totals
            {
                (sx[k], px) = (px, px + sx[k]);
                (s1[k], p1) = (p1, p1 + s1[k]);
            }
            var row = w2.Slice(o * _width, _width);
            var dwRow = dw2.Slice(o * _width, _width);
            for (int i = 0; i < row.Length; i++)
            {
                int from = crossedFrom[i];
                double mx = below[i] * sx[from] + above[i] * (px - sx[from]); // Σ dz s x
                double m1 = below[i] * s1[from] + above[i] * (p1 - s1[from]); // Σ dz s
                double w = Float64<T>.From(row[i]);
                dwRow[i] += Float64<T>.To(_w1[i] * mx + _b1[i] * m1);
                _unitWeightSums[i] += w * mx;
                _unitBiasSums[i] += w * m1;
            }
        }
        for (int i = 0; i < _width; i++)
        {
            dw1[i] += Float64<T>.To(_unitWeightSums[i]);
            db1[i] += Float64<T>.To(_unitBiasSums[i]);
        }
    }

    // sx[k] = Σ dz·x, s1[k] = Σ dz over segment k's run of columns, a vector of columns at a time into vector
    // accumulators (a straddling vector's lanes masked to each segment); each run is flushed once, as the next begins.
    void RunSums(ref T dz, ref T x, int n, Span<double> sx, Span<double> s1)
    {
        sx.Clear();
        s1.Clear();
        ReadOnlySpan<int> seg = _batch.Segment[..n];
        int[] starts = _batch.Starts;
        var lane = new Vector<T>(_lane);
        int v = Vector<T>.Count, j = 0, current = n > 0 ? seg[0] : 0;
        var vx = Vector<T>.Zero;
        var v1 = Vector<T>.Zero;
        double tx = 0, t1 = 0;
        for (; j + v <= n; j += v)
        {
            int k0 = seg[j], k1 = seg[j + v - 1];
            var d = Vector.LoadUnsafe(ref dz, (nuint)j);
            var dxv = d * Vector.LoadUnsafe(ref x, (nuint)j);
            if (k0 == k1)
            {
                if (k0 != current) Flush(ref current, k0, ref vx, ref v1, ref tx, ref t1, sx, s1);
                vx += dxv;
                v1 += d;
                continue;
            }
            for (int k = k0; k <= k1; k++)
            {
                if (starts[k] == starts[k + 1]) continue;
                var inside = Vector.BitwiseAnd(
                    Vector.GreaterThanOrEqual(lane, new Vector<T>(Float64<T>.To(starts[k] - j))),
                    Vector.LessThan(lane, new Vector<T>(Float64<T>.To(starts[k + 1] - j))));
                if (k != current) Flush(ref current, k, ref vx, ref v1, ref tx, ref t1, sx, s1);
                vx += Vector.BitwiseAnd(inside, dxv);
                v1 += Vector.BitwiseAnd(inside, d);
            }
        }
        for (; j < n; j++)
        {
            if (seg[j] != current) Flush(ref current, seg[j], ref vx, ref v1, ref tx, ref t1, sx, s1);
            double d = Float64<T>.From(Unsafe.Add(ref dz, j));
            tx += d * Float64<T>.From(Unsafe.Add(ref x, j));
            t1 += d;
        }
        Flush(ref current, current, ref vx, ref v1, ref tx, ref t1, sx, s1);
    }

    static void Flush(ref int current, int next, ref Vector<T> vx, ref Vector<T> v1, ref double tx, ref double t1, Span<double> sx, Span<double> s1)
    {
        sx[current] = tx + Float64<T>.From(Vector.Sum(vx));
        s1[current] = t1 + Float64<T>.From(Vector.Sum(v1));
        (vx, v1, tx, t1, current) = (Vector<T>.Zero, Vector<T>.Zero, 0, 0, next);
    }
}
