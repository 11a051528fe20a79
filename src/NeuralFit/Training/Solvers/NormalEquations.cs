using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralFit.Numerics;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// The Gauss–Newton normal equations of a least-squares problem at one point: JᵀJ (P×P, row-major, symmetric),
/// Jᵀr (P) and Σr², accumulated a block of residuals at a time. When the whole Jacobian is small
/// (<see cref="KeptJacobianLimit"/> numbers) its blocks are kept, so products with J and Jᵀ at the same point cost a
/// pass over memory instead of a pass through the network.
/// </summary>
internal sealed class NormalEquations
{
    /// <summary>Most Jacobian entries kept between calls: 32 MB of float64.</summary>
    public const long KeptJacobianLimit = 4_000_000;

    /// <summary>Bands a large JᵀJ is cut into: fixed, so the cut never depends on the cores (it changes no number
    /// anyway: each entry is one band's); several per core, so a core the OS sets aside leaves its bands to the others.</summary>
    const int GramBands = 8;

    readonly ILeastSquaresProblem _problem;
    readonly double[][] _blocks;
    readonly int _blockSize, _group; // _group: most blocks per call of ResidualsAndJacobians (buffers for that many when J is not kept)
    readonly GramWork _gram;

    /// <param name="keptJacobianLimit">Most Jacobian entries kept (<see cref="KeptJacobianLimit"/>; tests lower it to take the
    /// path that keeps a group of blocks only).</param>
    public NormalEquations(ILeastSquaresProblem problem, long keptJacobianLimit = KeptJacobianLimit)
    {
        _problem = problem;
        int p = problem.ParameterCount, m = problem.ResidualCount;
        _blockSize = Math.Max(1, Math.Min(problem.BlockSize, m));
        if ((long)p * _blockSize > Array.MaxLength) throw new InputError($"a Jacobian block of {p:N0} × {_blockSize:N0} is too large");
        if ((long)p * p > Array.MaxLength) throw new InputError($"the {p:N0} × {p:N0} normal equations are too large for Levenberg–Marquardt; use lbfgs or adam");
        KeepsJacobian = (long)p * m <= keptJacobianLimit;
        int blocks = (m + _blockSize - 1) / _blockSize;
        // Blocks are computed a group at a time, one per core (at most the problem's lanes), and their Gram products taken
        // while they are still in the cores' caches: computing a kept Jacobian whole first sent it out to memory and back
        // (measured: lm on 8-32-1 over 1e4 rows, 25 blocks of 1 MB, a few % slower than one block at a time). The group
        // changes no number: each block is computed alone, and the products are added in the blocks' order.
        _group = Math.Clamp(problem.JacobianLanes, 1, blocks);
        int count = KeepsJacobian ? blocks : _group;
        _blocks = Enumerable.Range(0, count).Select(b => new double[p * (KeepsJacobian ? Math.Min(_blockSize, m - b * _blockSize) : _blockSize)]).ToArray();
        JtJ = new double[p * p];
        JtR = new double[p];
        Residuals = new double[m];
        _gram = new GramWork(new RunGramKernel(p), JtJ, p);
    }

    public int ParameterCount => _problem.ParameterCount;
    public double[] JtJ { get; }
    public double[] JtR { get; }
    public double SumOfSquares { get; private set; }

    /// <summary>r at the point of the last <see cref="Build"/>.</summary>
    public double[] Residuals { get; }

    /// <summary>True when J of the last <see cref="Build"/> is kept for <see cref="JacobianTimes"/> and <see cref="JacobianTransposeTimes"/>.</summary>
    public bool KeepsJacobian { get; }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void Build(ReadOnlySpan<double> theta)
    {
        int p = _problem.ParameterCount, m = _problem.ResidualCount;
        Array.Clear(JtJ);
        Array.Clear(JtR);
        int blocks = (m + _blockSize - 1) / _blockSize;
        int perCall = Math.Clamp(_problem.Threads, 1, _group);
        for (int first = 0; first < blocks; first += perCall)
        {
            int count = Math.Min(perCall, blocks - first);
            var group = _blocks.AsSpan(KeepsJacobian ? first : 0, count);
            _problem.ResidualsAndJacobians(theta, first, Residuals, group); // on the problem's lanes
            for (int b = 0; b < count; b++)
            {
                int start = (first + b) * _blockSize, n = Math.Min(_blockSize, m - start);
                var r = Residuals.AsSpan(start, n);
                for (int i = 0; i < p; i++) JtR[i] += TensorPrimitives.Dot(group[b].AsSpan(i * n, n), r);
                _gram.Add(group[b], n, _problem.Threads); // JtJ (lower) += J Jᵀ, in the blocks' order
            }
        }
        MirrorLower(JtJ, p);
        SumOfSquares = TensorPrimitives.Dot<double>(Residuals, Residuals);
    }

    /// <summary>Copies the lower triangle onto the upper, in 32 × 32 tiles so the column reads stay in cache.</summary>
    static void MirrorLower(double[] g, int p)
    {
        const int tile = 32;
        for (int bi = 0; bi < p; bi += tile)
            for (int bj = bi; bj < p; bj += tile)
                for (int i = bi; i < Math.Min(bi + tile, p); i++)
                    for (int j = Math.Max(bj, i + 1); j < Math.Min(bj + tile, p); j++)
                        g[i * p + j] = g[j * p + i];
    }

    // v (P) -> product (m) = J v, with the kept J
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void JacobianTimes(ReadOnlySpan<double> v, Span<double> product)
    {
        if (!KeepsJacobian) throw new InvalidOperationException("the Jacobian was not kept");
        int p = v.Length;
        for (int b = 0, start = 0; b < _blocks.Length; b++, start += _blockSize)
        {
            int n = _blocks[b].Length / p;
            var target = product.Slice(start, n);
            target.Clear();
            for (int i = 0; i < p; i++) TensorPrimitives.MultiplyAdd(_blocks[b].AsSpan(i * n, n), v[i], target, target);
        }
    }

    // u (m) -> product (P) = Jᵀ u, with the kept J
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void JacobianTransposeTimes(ReadOnlySpan<double> u, Span<double> product)
    {
        if (!KeepsJacobian) throw new InvalidOperationException("the Jacobian was not kept");
        int p = product.Length;
        product.Clear();
        for (int b = 0, start = 0; b < _blocks.Length; b++, start += _blockSize)
        {
            int n = _blocks[b].Length / p;
            for (int i = 0; i < p; i++) product[i] += TensorPrimitives.Dot(_blocks[b].AsSpan(i * n, n), u.Slice(start, n));
        }
    }

    /// <summary>JᵀJ += J Jᵀ for one block, in bands of rows on up to the problem's cores.</summary>
    sealed class GramWork(RunGramKernel kernel, double[] jtj, int p) : IParallelWork
    {
        readonly int[] _edges = new int[GramBands + 1];
        double[] _block = [];
        int _n;

        public void Add(double[] block, int n, int threads)
        {
            int rows = kernel.Prepare(block, p, n);
            if (threads <= 1 || 0.5 * rows * rows * n < GramKernel.ParallelThreshold)
            {
                kernel.AddRows(block, p, n, jtj, 0, rows);
                return;
            }
            GramKernel.BandEdges(rows, 4, _edges);
            (_block, _n) = (block, n);
            StepWorkers.Run(this, GramBands, threads);
            _block = [];
        }

        public void Run(int band) => kernel.AddRows(_block, p, _n, jtj, _edges[band], _edges[band + 1]);
    }
}
