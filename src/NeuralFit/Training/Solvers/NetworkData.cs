using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NeuralFit.Networks;
using NeuralFit.Networks.Kernels.Blocked;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// A fixed training set in the network's units (normalised), float64, cut into blocks of at most
/// <see cref="BlockSize"/> samples laid out feature-major as a workspace wants them (targets (outputs, n), one row per
/// output), and a float64 copy of the
/// network that evaluates at any θ. A block's inputs are not kept: each pass gathers and normalises them from the
/// training set into the lane's workspace (the one copy of a large data set's rows is its store, DataRows), which
/// costs a few per cent of a pass; the targets, one value a sample, are kept normalised. Whole-batch solvers compute
/// in float64 whatever the run's precision: their line searches and normal equations need the loss to many more
/// digits than float32 keeps.
///
/// A pass over the whole set (the loss, its gradient, the residuals, Jᵀu) runs in <see cref="LaneCount"/> lanes:
/// lane c takes a fixed run of consecutive blocks into its own workspace and its own sums, on whichever core is
/// free (<see cref="StepWorkers"/>, up to <see cref="Threads"/>); then the lanes' sums are added in lane order. The
/// lanes depend on the number of blocks and the network only, never on the cores, so a run gives the same numbers,
/// bit for bit, on one core or many. Every buffer is made here, so a pass allocates nothing.
/// </summary>
internal sealed class NetworkData : IParallelWork
{
    /// <summary>Most lanes: enough that two to eight cores share the work evenly (a core the OS sets aside for a while
    /// leaves its lanes to the others), few enough that the lanes' workspaces stay small.</summary>
    public const int MaxLanes = 8;

    /// <summary>Bytes all lanes' workspaces may take together: a wide network gets fewer lanes rather than more memory.</summary>
    const long LaneBytesBudget = 64L << 20;

    readonly double[][] _targets;
    readonly SampleSet _set;
    readonly AffineMap[] _inputMaps;
    readonly int[] _order; // the training set's sample at each position of the blocks
    readonly bool _inSetOrder; // _order is 0, 1, 2, …: a block's rows are a run of the set's memory
    readonly Mlp<double> _network;
    readonly Lane[] _lanes;
    Pass _pass;
    double _scale;
    double[]? _perSample; // the residuals of a Residuals pass, or the u of a Jᵀu pass
    double[][] _jacobians = []; // a Jacobian pass's blocks, from block _firstJacobian on (the caller's arrays, held for the pass)
    int _firstJacobian, _jacobianCount;

    enum Pass { Gradient, SumOfSquares, Residuals, TransposeTimes, Jacobians }

    /// <summary>One lane's blocks [First, End), workspace and sums; and when the plan runs the loss and gradient in one
    /// pass (<see cref="KernelPlan{T}.OneHiddenLayerPass"/>), that pass and its inputs' buffer (rows padded with zeros to a
    /// multiple of its lanes).</summary>
    sealed class Lane(Workspace<double> workspace, double[] gradient, int first, int end)
    {
        public Workspace<double> Workspace { get; } = workspace;
        public IOneHiddenLayerGradient<double>? OnePass { get; init; }
        public double[] PaddedInput { get; init; } = [];
        public double[] Gradient { get; } = gradient;
        public int First { get; } = first;
        public int End { get; } = end;
        public double SumOfSquares { get; set; }
    }

    public NetworkData(NetworkShape shape, SampleSet set, Normalization normalization, int blockSize)
    {
        if (set.Count == 0) throw new InputError("the training set is empty");
        Shape = shape;
        Count = set.Count;
        BlockSize = Math.Clamp(blockSize, 1, set.Count);
        Outputs = shape.Outputs;
        int blocks = (Count + BlockSize - 1) / BlockSize, outputs = Outputs;
        (_set, _inputMaps) = (set, normalization.Inputs);
        _targets = new double[blocks][];
        // Two-piece linear units (ReLU and its kin) take the samples in order of the first input: a unit of that input is
        // then on over one run of consecutive samples, which the Jacobian's Gram product skips outside (RunGramKernel).
        // Other units are on everywhere, so they take the set's order, in which each pass reads the rows from memory
        // one after another: read in a sorted order, at random, they cost 27 % of an L-BFGS pass over 1e5 rows × 8
        // inputs (a tanh network, measured with perf). The order changes no result but the rounding.
        var order = _order = new int[Count];
        for (int i = 0; i < Count; i++) order[i] = i;
        _inSetOrder = !shape.Activation.Traits().IsTwoPieceLinear;
        if (!_inSetOrder)
        {
            var firstInput = new double[Count];
            for (int i = 0; i < Count; i++) firstInput[i] = set.Row(i)[0];
            Array.Sort(firstInput, order); // not stable: ties broken by index below, so the order is the same on every machine
            for (int i = 1, from = 0; i <= Count; i++)
                if (i == Count || firstInput[i] != firstInput[from]) { Array.Sort(order, from, i - from); from = i; }
        }
        for (int b = 0; b < blocks; b++)
        {
            int start = b * BlockSize, n = Math.Min(BlockSize, Count - start);
            var y = _targets[b] = new double[n * outputs];
            for (int i = 0; i < n; i++)
            {
                var targets = set.Targets(order[start + i]);
                for (int o = 0; o < outputs; o++) y[o * n + i] = normalization.Targets[o].Forward(targets[o]);
            }
        }
        _network = new Mlp<double>(shape);
        int lanes = LaneCountFor(shape, BlockSize, blocks);
        _lanes = new Lane[lanes];
        for (int c = 0; c < lanes; c++)
        {
            int first = (int)((long)c * blocks / lanes), end = (int)((long)(c + 1) * blocks / lanes);
            var ws = new Workspace<double>(shape, BlockSize);
            var onePass = ws.Plan.OneHiddenLayerPass ? ws.Plan.MakeOneHiddenLayerPass() : null;
            _lanes[c] = new Lane(ws, new double[shape.ParameterCount], first, end)
            {
                OnePass = onePass,
                PaddedInput = onePass is null ? [] : new double[shape.Inputs * PaddedStride(BlockSize, onePass.Lanes)],
            };
        }
    }

    /// <summary>Lanes for this many blocks: one per block up to <see cref="MaxLanes"/>, fewer for a network whose
    /// workspaces would pass <see cref="LaneBytesBudget"/> together. Depends on nothing about the machine.</summary>
    public static int LaneCountFor(NetworkShape shape, int blockSize, int blocks)
    {
        long perSample = shape.Inputs + shape.Outputs + 3L * shape.Slots.Sum(s => (long)s.FanOut); // x, y; z, a, δ per layer
        long laneBytes = Math.Max(1, 8 * perSample * blockSize);
        return (int)Math.Clamp(Math.Min(Math.Min(blocks, MaxLanes), LaneBytesBudget / laneBytes), 1, MaxLanes);
    }

    public NetworkShape Shape { get; }

    /// <summary>Samples; each has <see cref="Outputs"/> targets, so a pass has Count × Outputs residuals, block b's
    /// from b × BlockSize × Outputs on, output by output.</summary>
    public int Count { get; }
    public int Outputs { get; }
    public int BlockSize { get; }
    public int BlockCount => _targets.Length;
    public int LaneCount => _lanes.Length;

    /// <summary>Cores a pass may use; the numbers are the same for any value.</summary>
    public int Threads { get; set; } = 1;

    public Mlp<double> Network => _network;

    /// <summary>Samples run forward, and back-propagated, so far: what `neuralfit bench` counts a solver's work by.</summary>
    public long ForwardSamples { get; private set; }
    public long BackwardSamples { get; private set; }

    /// <summary>The kernel plan the blocks run by (prediction paths, float64, <see cref="BlockSize"/> samples).</summary>
    public KernelPlan<double> Plan => _lanes[0].Workspace.Plan;

    /// <summary>Runs block b through the network at θ in the first lane's workspace; returns its size n. ws.Output
    /// holds the predictions (outputs, n), targets the same layout. One block on the caller's thread: for a Jacobian, a
    /// block at a time.</summary>
    public int Forward(ReadOnlySpan<double> theta, int block, out Workspace<double> ws, out ReadOnlySpan<double> targets)
    {
        theta.CopyTo(_network.Parameters);
        ws = _lanes[0].Workspace;
        targets = _targets[block];
        int n = ForwardBlock(ws, block);
        ForwardSamples += n;
        return n;
    }

    int ForwardBlock(Workspace<double> ws, int block)
    {
        int n = _targets[block].Length / Outputs;
        GatherInputs(block, n, ws.Input, n);
        _network.Forward(ws, n);
        return n;
    }

    static int PaddedStride(int n, int lanes) => (n + lanes - 1) / lanes * lanes;

    /// <summary>Block b's inputs, normalised, feature-major (inputs, stride), zero from n to the stride: the rows
    /// gathered, then each input's values shifted and scaled by vector operations, which round as the scalar
    /// (x − shift)/scale does.</summary>
    void GatherInputs(int block, int n, double[] input, int stride)
    {
        int d = _inputMaps.Length;
        var x = _set.X.Span;
        var order = _order.AsSpan(block * BlockSize, n);
        for (int k = 0; k < d; k++)
        {
            // one input at a time: the block's rows (in the set's order, a run of memory) are read down a column while
            // the values are written one after another (measured: faster than each row read once and written to d places)
            var values = input.AsSpan(k * stride, n);
            if (_inSetOrder) Column(x.Slice(order[0] * d + k, (n - 1) * d + 1), d, values);
            else for (int i = 0; i < values.Length; i++) values[i] = x[order[i] * d + k];
            TensorPrimitives.Subtract(values, _inputMaps[k].Shift, values);
            TensorPrimitives.Divide(values, _inputMaps[k].Scale, values);
            input.AsSpan(k * stride + n, stride - n).Clear();
        }
    }

    // rows (n, d) row-major from one input's column on -> values (n) = that input of each row
    static void Column(ReadOnlySpan<double> rows, int d, Span<double> values)
    {
        ref double from = ref MemoryMarshal.GetReference(rows);
        ref double to = ref MemoryMarshal.GetReference(values);
        for (int i = 0; i < values.Length; i++) Unsafe.Add(ref to, i) = Unsafe.Add(ref from, i * d);
    }

    /// <summary>Lane c's loss and gradient by its one-hidden-layer pass: the blocks' rows in, the sums out once.</summary>
    void OnePassLane(Lane lane)
    {
        var pass = lane.OnePass!;
        pass.Begin();
        for (int b = lane.First; b < lane.End; b++)
        {
            int n = _targets[b].Length, stride = PaddedStride(n, pass.Lanes);
            GatherInputs(b, n, lane.PaddedInput, stride);
            pass.Add(lane.PaddedInput, stride, _targets[b], n, _network.Parameters, _scale);
        }
        lane.SumOfSquares = pass.End(lane.Gradient);
    }

    // θ (P) -> gradient (P) = Σᵢ scale·rᵢ ∂outputᵢ/∂θ, overwritten; returns Σᵢ rᵢ² (r = output − target)
    public double SumOfSquaresAndGradient(ReadOnlySpan<double> theta, Span<double> gradient, double scale)
    {
        _scale = scale;
        RunPass(theta, Pass.Gradient);
        AddGradients(gradient);
        return TotalSumOfSquares();
    }

    // θ (P) -> Σᵢ rᵢ²
    public double SumOfSquares(ReadOnlySpan<double> theta)
    {
        RunPass(theta, Pass.SumOfSquares);
        return TotalSumOfSquares();
    }

    // θ (P) -> r (Count × Outputs), block by block in the blocks' sample order, output by output within a block
    public void Residuals(ReadOnlySpan<double> theta, Span<double> r)
    {
        var buffer = PerSample();
        RunPass(theta, Pass.Residuals);
        buffer.CopyTo(r);
    }

    // θ (P), u (Count × Outputs) -> product (P) = J(θ)ᵀu, by back-propagating u
    public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product)
    {
        u[..(Count * Outputs)].CopyTo(PerSample());
        RunPass(theta, Pass.TransposeTimes);
        AddGradients(product);
    }

    // θ (P) -> blocks [first, first + jacobians.Length): residuals into r (Count × Outputs) at each block's place, and
    // the output Jacobian (P, block's residuals) into jacobians[b − first] (OutputJacobian's layout). Lane c takes
    // blocks first + c, first + c + lanes, …: each block is computed alone, so the numbers depend on no lane or core.
    public void ResidualsAndJacobians(ReadOnlySpan<double> theta, int first, Span<double> r, ReadOnlySpan<double[]> jacobians)
    {
        if (first < 0 || first + jacobians.Length > BlockCount) throw new ArgumentOutOfRangeException(nameof(first), "blocks past the data");
        var buffer = PerSample();
        theta.CopyTo(_network.Parameters);
        (_pass, _firstJacobian, _jacobianCount) = (Pass.Jacobians, first, jacobians.Length);
        if (_jacobians.Length < jacobians.Length) _jacobians = new double[jacobians.Length][]; // made for the most blocks asked at once
        jacobians.CopyTo(_jacobians);
        StepWorkers.Run(this, Math.Min(_lanes.Length, jacobians.Length), Threads);
        _jacobians.AsSpan().Clear(); // not held past the pass
        for (int b = first; b < first + jacobians.Length; b++)
        {
            int start = b * BlockSize * Outputs, m = _targets[b].Length;
            buffer.AsSpan(start, m).CopyTo(r.Slice(start, m));
            ForwardSamples += m / Outputs;
        }
    }

    /// <summary>Lane c of a Jacobian pass: blocks first + c, first + c + lanes, … each run forward, its residuals into
    /// the per-sample buffer, and back-propagated once per output into its Jacobian.</summary>
    void JacobianLane(int c, Workspace<double> ws)
    {
        int lanes = Math.Min(_lanes.Length, _jacobianCount), p = Shape.ParameterCount;
        for (int i = c; i < _jacobianCount; i += lanes)
        {
            int b = _firstJacobian + i, n = ForwardBlock(ws, b), m = n * Outputs, start = b * BlockSize * Outputs;
            TensorPrimitives.Subtract(ws.Output.AsSpan(0, m), _targets[b], _perSample.AsSpan(start, m));
            OutputJacobian.Compute(_network, ws, n, _jacobians[i].AsSpan(0, p * m));
        }
    }

    double[] PerSample() => _perSample ??= new double[Count * Outputs]; // made on first use: only some solvers ask

    void RunPass(ReadOnlySpan<double> theta, Pass pass)
    {
        theta.CopyTo(_network.Parameters); // the lanes read it, none writes it
        _pass = pass;
        StepWorkers.Run(this, _lanes.Length, Threads);
        ForwardSamples += Count;
        if (pass is Pass.Gradient or Pass.TransposeTimes) BackwardSamples += Count;
    }

    /// <summary>Lane c's blocks, in order, into its own workspace and sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void Run(int c)
    {
        var lane = _lanes[c];
        var ws = lane.Workspace;
        if (_pass == Pass.Jacobians)
        {
            JacobianLane(c, ws);
            return;
        }
        double sum = 0;
        if (_pass is Pass.Gradient or Pass.TransposeTimes) Array.Clear(lane.Gradient);
        if (_pass == Pass.Gradient && lane.OnePass is not null)
        {
            OnePassLane(lane);
            return;
        }
        for (int b = lane.First; b < lane.End; b++)
        {
            int n = ForwardBlock(ws, b), m = n * Outputs, start = b * BlockSize * Outputs; // m residuals, (outputs, n)
            var output = ws.Output.AsSpan(0, m);
            var targets = _targets[b].AsSpan();
            switch (_pass)
            {
                case Pass.Gradient:
                    sum += MeanSquaredError.SumAndGradient<double>(output, targets, ws.Delta[^1].AsSpan(0, m), _scale);
                    _network.Backward(ws, n, lane.Gradient);
                    break;
                case Pass.SumOfSquares:
                    for (int i = 0; i < m; i++)
                    {
                        double r = output[i] - targets[i];
                        sum += r * r;
                    }
                    break;
                case Pass.Residuals:
                    TensorPrimitives.Subtract(output, targets, _perSample.AsSpan(start, m));
                    break;
                case Pass.TransposeTimes:
                    _perSample.AsSpan(start, m).CopyTo(ws.Delta[^1]);
                    _network.Backward(ws, n, lane.Gradient); // back-propagating u gives Σᵢ uᵢ ∂outputᵢ/∂θ
                    break;
            }
        }
        lane.SumOfSquares = sum;
    }

    /// <summary>The lanes' gradients added in lane order.</summary>
    void AddGradients(Span<double> total)
    {
        _lanes[0].Gradient.CopyTo(total);
        for (int c = 1; c < _lanes.Length; c++) TensorPrimitives.Add(total, _lanes[c].Gradient, total);
    }

    double TotalSumOfSquares()
    {
        double sum = 0;
        foreach (var lane in _lanes) sum += lane.SumOfSquares;
        return sum;
    }
}
