using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace NeuralFit.Networks.Kernels.OneInput;

/// <summary>Layers 0 and 1 of a training step segment by segment (see <see cref="OneInputSegments{T, TUnits, TNext}"/>).</summary>
internal interface ISegmentsPass<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>True after a <c>Forward</c> that did the first two layers (so <c>Backward</c> must).</summary>
    bool Active { get; }

    // w0, b0 (width), w1 (outputs, width), b1 (outputs); x (n) and y (yRows, n), reordered by segment -> z1, a1 (outputs, n)
    bool Forward(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, Span<T> x, Span<T> y, int yRows,
        Span<T> z1, Span<T> a1, int n);

    // x (n) as arranged, dz2 (outputs, n), w2 (outputs, width) -> dw2 (outputs, width), dw1, db1 (width) +=
    // (a data-parallel chunk's pass keeps its per-segment sums instead, for the step's CombineChunks)
    void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> dz2, ReadOnlySpan<T> w2, Span<T> dw2, Span<T> dw1, Span<T> db1, int n);

    /// <summary>Makes this pass a data-parallel chunk's, of the step whose whole batch <paramref name="step"/> serves
    /// (a pass of the same shape and activations): from now on it reads that pass's tables, built once per step by
    /// <see cref="PlaceStep"/> and <see cref="StepTables"/>, and its backward pass leaves its per-segment sums for
    /// <see cref="CombineStep"/>.</summary>
    void ReadTablesOf(ISegmentsPass<T> step);

    /// <summary>Blocks of outputs the step's tables and combine come in (<see cref="SegmentTables{T}.Blocks"/>).</summary>
    int StepBlocks { get; }

    // The step's cuts, once, for a batch x (n, every chunk's samples, chunks of about chunkSamples): w0, b0 (width);
    // false (the chunks then run their products) when the cost model says the products are faster for this batch or
    // a cut cannot be placed. Then StepTables for every block, before the chunks run.
    bool PlaceStep(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> x, int chunkSamples);

    // Block b's rows of the step's tables: w1 (outputs, width), b1 (outputs).
    void StepTables(int block, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1);

    // After the chunks' passes (those of ReadTablesOf(this)) ran, for block b's outputs: their per-segment sums
    // added in chunk order (a chunk whose forward pass declined left none: its products made its gradient), then
    // the combine: w1 (outputs, width) -> dw1 +=; then FinishStep once: dw0, db0 (width) +=.
    void CombineStep(int block, IReadOnlyList<ISegmentsPass<T>> chunks, ReadOnlySpan<T> w1, Span<T> dw1);
    void FinishStep(Span<T> dw0, Span<T> db0);
}

/// <summary>
/// The first two layers of a training step, when the first layer has one input and a two-piece linear activation
/// <typeparamref name="TUnits"/> (ReLU, leaky ReLU, linear), done segment by segment instead of as products;
/// <typeparamref name="TNext"/> is layer 1's activation (<see cref="Identity{T}"/> when it is the output layer).
/// <para>
/// Each first-layer unit's slope changes at one cut on the x axis (<see cref="SegmentCuts{T}"/>). The sorted cuts
/// split the axis into at most width + 1 segments; on each, every slope is fixed, so the second layer's z is an
/// affine function of x there: z₂ = A[k]·x + B[k], with A, B built once per step by one column update per cut. The
/// backward pass needs, per output o and unit i, only Σ dz₂·s·x and Σ dz₂·s over the batch (the sums of
/// <see cref="OneInputBelow{T,TVec,TOps,TUnits}"/>): sums of dz₂ and dz₂·x over each segment's run of samples, and prefix
/// sums over the segments, give all of them. So the two layers cost O((batch + width)·outputs) instead of
/// O(batch·width·outputs), and the first layer's activations are never written.
/// </para>
/// <para>
/// The batch is arranged by segment first (<see cref="SegmentedBatch{T}"/>), so each segment is a run of columns:
/// z₂ on a run is z₀ + A·(x − x₀), x₀ the segment's origin, z₀ = A·x₀ + B from float64 tables (<see cref="SegmentTables{T}"/>),
/// which keeps float32 results as close as the products' where w₁x and b₁ nearly cancel.
/// </para>
/// <para>
/// The tables depend on the parameters alone (and the batch's least x), so a data-parallel step builds them once
/// for all its chunks, and adds the chunks' per-segment sums before one combine (<see cref="ReadTablesOf"/>).
/// </para>
/// </summary>
internal sealed class OneInputSegments<T, TUnits, TNext> : ISegmentsPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TUnits : struct, IActivation<T>
    where TNext : struct, IActivation<T>
{
    readonly int _width, _outputs, _stride;
    readonly bool _always;          // run wherever a cut can be placed, without asking the cost model
    readonly SegmentTables<T> _own;
    SegmentTables<T> _tables; // _own, or the step's when this is a data-parallel chunk's pass
    bool _chunk;
    readonly SegmentedBatch<T> _batch;
    readonly double[] _sums, _ones; // (outputs, stride): Σ dz₂·x and Σ dz₂ per segment
    readonly T[] _lane;             // 0, 1, … one vector's lane numbers

    /// <param name="width">Layer 0's units.</param>
    /// <param name="outputs">Layer 1's units.</param>
    /// <param name="capacity">The most samples a batch may hold.</param>
    /// <param name="always">Run on every batch (tests, NEURALFIT_SEGMENTS=always); else only on a batch where
    /// <see cref="SegmentsCost"/> says they are faster than the products.</param>
    public OneInputSegments(int width, int outputs, int capacity, bool always = false)
    {
        _always = always;
        if (!TUnits.IsTwoPieceLinear) throw new ArgumentException($"{typeof(TUnits).Name} is not two-piece linear");
        _width = width;
        _outputs = outputs;
        _stride = _width + 1; // segments 0…width
        _own = _tables = new SegmentTables<T>(_width, _outputs);
        _batch = new SegmentedBatch<T>(_width, capacity);
        _sums = new double[_outputs * _stride];
        _ones = new double[_outputs * _stride];
        _lane = Enumerable.Range(0, Vector<T>.Count).Select(l => T.CreateChecked(l)).ToArray();
    }

    /// <summary>True when this batch (x (n), the first layer's w0, b0) runs faster by segments than by the products
    /// whose work is n samples a core: <see cref="SegmentsCost"/> from how many kinks lie inside the batch's range.
    /// The parameters and the batch decide, nothing else.</summary>
    bool Pays(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> x, T xMin, int n)
    {
        if (_always) return true;
        int inside = SegmentsCost.KinksInside(w0, b0, xMin, TensorPrimitives.Max<T>(x), TUnits.SlopeBelowZero == T.One);
        return SegmentsCost.SpeedUp(_width, _outputs, n, inside) > 1;
    }

    /// <summary>True after a <see cref="Forward"/> that did the first two layers (so <see cref="Backward"/> must).</summary>
    public bool Active { get; private set; }

    /// <summary>
    /// Layers 0 and 1 of the forward pass: arranges the batch by segment (reordering x (n) and y (outputs, n)
    /// together), then writes layer 1's z (n·outputs) and a, not layer 0's. False, with nothing changed, when it
    /// declines (an empty batch, or see <see cref="SegmentCuts{T}"/> and <see cref="SegmentedBatch{T}"/>).
    /// </summary>
    public bool Forward(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, Span<T> x, Span<T> y, int outputs,
        Span<T> z1, Span<T> a1, int n)
    {
        Active = false;
        if (n == 0) return false;
        if (_chunk ? !_tables.Ready : !OwnTables(w0, b0, w1, b1, x[..n])) return false;
        if (!_batch.Arrange(_tables.Cuts, _tables.Origin, x, y, outputs, n)) return false;
        Evaluate(z1, a1, n);
        Active = true;
        return true;
    }

    bool OwnTables(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1, ReadOnlySpan<T> x)
    {
        T xMin = TensorPrimitives.Min(x);
        return Pays(w0, b0, x, xMin, x.Length) && _own.Build<TUnits>(w0, b0, w1, b1, xMin);
    }

    public void ReadTablesOf(ISegmentsPass<T> step)
    {
        if (step is not OneInputSegments<T, TUnits, TNext> same || same._width != _width || same._outputs != _outputs)
            throw new ArgumentException("a chunk reads the tables of a pass of its own shape and activations", nameof(step));
        (_tables, _chunk) = (same._own, true);
    }

    public int StepBlocks => _own.Blocks;

    public bool PlaceStep(ReadOnlySpan<T> w0, ReadOnlySpan<T> b0, ReadOnlySpan<T> x, int chunkSamples)
    {
        _own.Withdraw(); // the chunks read these tables only after a placement this step
        if (x.Length == 0) return false;
        T xMin = TensorPrimitives.Min(x);
        return Pays(w0, b0, x, xMin, Math.Min(chunkSamples, x.Length)) && _own.Place<TUnits>(w0, b0, xMin);
    }

    public void StepTables(int block, ReadOnlySpan<T> w1, ReadOnlySpan<T> b1) => _own.TablesBlock(block, w1, b1);

    public void CombineStep(int block, IReadOnlyList<ISegmentsPass<T>> chunks, ReadOnlySpan<T> w1, Span<T> dw1)
    {
        var (lo, hi) = _own.Block(block);
        Span<double> sums = _sums.AsSpan(lo * _stride, (hi - lo) * _stride), ones = _ones.AsSpan(lo * _stride, (hi - lo) * _stride);
        sums.Clear();
        ones.Clear();
        for (int k = 0; k < chunks.Count; k++) // by index: an interface's enumerator would allocate
        {
            if (chunks[k] is not OneInputSegments<T, TUnits, TNext> { Active: true } c || c._tables != _own) continue;
            TensorPrimitives.Add(sums, c._sums.AsSpan(lo * _stride, (hi - lo) * _stride), sums);
            TensorPrimitives.Add(ones, c._ones.AsSpan(lo * _stride, (hi - lo) * _stride), ones);
        }
        _own.CombineBlock(block, _sums, _ones, w1, dw1);
    }

    public void FinishStep(Span<T> dw0, Span<T> db0) => _own.FinishCombine(dw0, db0);

    // z[o,j] = z₀[o,k] + A[o,k]·(x_j − x₀[k]) for column j in segment k, a = f(z), a vector of columns at a time:
    // the first segment's coefficients broadcast, each later segment's blended in from its first lane on.
    void Evaluate(Span<T> z1, Span<T> a1, int n)
    {
        ReadOnlySpan<int> seg = _batch.Segment[..n];
        int[] starts = _batch.Starts;
        ref T dx = ref MemoryMarshal.GetReference(_batch.Offset);
        ref T z = ref MemoryMarshal.GetReference(z1);
        ref T a = ref MemoryMarshal.GetReference(a1);
        bool shared = Unsafe.AreSame(ref z, ref a);
        int v = Vector<T>.Count;
        var lane = new Vector<T>(_lane);
        for (int o = 0; o < _outputs; o++)
        {
            var start = _tables.Start.AsSpan(o * _stride, _stride);
            var slope = _tables.Slope.AsSpan(o * _stride, _stride);
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
                TNext.ForwardVector<Vector<T>, VectorOps<T>>(zv).StoreUnsafe(ref ao, (nuint)j);
            }
            for (; j < n; j++)
            {
                T zj = start[seg[j]] + slope[seg[j]] * Unsafe.Add(ref dx, j);
                Unsafe.Add(ref zo, j) = zj;
                Unsafe.Add(ref ao, j) = TNext.Forward(zj);
            }
        }
    }

    /// <summary>
    /// The backward pass below layer 1, after its delta dz₂ (outputs, n) is made (and its bias gradient summed), on
    /// the batch as <see cref="Forward"/> arranged it: adds layer 1's weight gradient dw₂ and layer 0's dw₁, db₁
    /// (a data-parallel chunk's pass sums dz₂ and dz₂·x per segment and leaves the rest to the step's one combine).
    /// </summary>
    public void Backward(ReadOnlySpan<T> input, ReadOnlySpan<T> dz2, ReadOnlySpan<T> w2, Span<T> dw2, Span<T> dw1, Span<T> db1, int n)
    {
        ref T x = ref MemoryMarshal.GetReference(input);
        ref T dz = ref MemoryMarshal.GetReference(dz2);
        for (int o = 0; o < _outputs; o++)
            RunSums(ref Unsafe.Add(ref dz, (nint)o * n), ref x, n, _sums.AsSpan(o * _stride, _stride), _ones.AsSpan(o * _stride, _stride));
        if (!_chunk) _own.Combine(_sums, _ones, w2, dw2, dw1, db1);
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
