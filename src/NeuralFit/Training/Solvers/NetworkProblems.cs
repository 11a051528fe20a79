using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// A fixed training set in the network's units (normalised), float64, cut into blocks of at most
/// <see cref="BlockSize"/> samples laid out feature-major as a workspace wants them, and a float64 copy of the
/// network that evaluates at any θ. Whole-batch solvers compute in float64 whatever the run's precision: their line
/// searches and normal equations need the loss to many more digits than float32 keeps.
/// </summary>
public sealed class NetworkData
{
    readonly double[][] _inputs, _targets;
    readonly Mlp<double> _network;
    readonly Workspace<double> _workspace;

    public NetworkData(NetworkShape shape, SampleSet set, Normalization normalization, int blockSize)
    {
        if (set.Count == 0) throw new InputError("the training set is empty");
        Shape = shape;
        Count = set.Count;
        BlockSize = Math.Clamp(blockSize, 1, set.Count);
        Outputs = shape.Outputs;
        int blocks = (Count + BlockSize - 1) / BlockSize, d = shape.Inputs, k = Outputs;
        _inputs = new double[blocks][];
        _targets = new double[blocks][];
        // In order of the first input: a ReLU unit of that input is then on over one run of consecutive samples, which
        // the Jacobian's Gram product skips outside (RunGramKernel). The order changes no result but the rounding.
        var order = Enumerable.Range(0, Count).OrderBy(i => set.Row(i)[0]).ThenBy(i => i).ToArray();
        for (int b = 0; b < blocks; b++)
        {
            int start = b * BlockSize, n = Math.Min(BlockSize, Count - start);
            var x = _inputs[b] = new double[d * n];
            var y = _targets[b] = new double[n * k];
            for (int i = 0; i < n; i++)
            {
                int sample = order[start + i];
                var row = set.Row(sample);
                for (int j = 0; j < d; j++) x[j * n + i] = normalization.Inputs[j].Forward(row[j]);
                var targets = set.Targets(sample);
                for (int o = 0; o < k; o++) y[o * n + i] = normalization.Targets[o].Forward(targets[o]);
            }
        }
        _network = new Mlp<double>(shape);
        _workspace = new Workspace<double>(shape, BlockSize);
    }

    public NetworkShape Shape { get; }

    /// <summary>Samples; each has <see cref="Outputs"/> targets, so there are Count × Outputs residuals.</summary>
    public int Count { get; }
    public int Outputs { get; }
    public int BlockSize { get; }
    public int BlockCount => _inputs.Length;

    /// <summary>Runs block b through the network at θ; returns its size n. ws.Output holds the predictions (outputs, n),
    /// and targets the block's targets in the same layout.</summary>
    public int Forward(ReadOnlySpan<double> theta, int block, out Workspace<double> ws, out ReadOnlySpan<double> targets)
    {
        theta.CopyTo(_network.Parameters);
        int n = _targets[block].Length / Outputs;
        _inputs[block].CopyTo(_workspace.Input, 0);
        _network.Forward(_workspace, n);
        ws = _workspace;
        targets = _targets[block];
        return n;
    }

    public Mlp<double> Network => _network;

    /// <summary>The kernel plan the blocks run by (prediction paths, float64, <see cref="BlockSize"/> samples).</summary>
    public KernelPlan<double> Plan => _workspace.Plan;
}

/// <summary>
/// The training loss as L-BFGS sees it: mean squared error over the whole training set (and its outputs) plus (λ/2)‖θ‖², the same
/// L2 penalty that weight decay adds to the step optimizers' gradients (g + λθ).
/// </summary>
public sealed class NetworkObjective(NetworkData data, double weightDecay = 0) : IObjective
{
    public int ParameterCount => data.Shape.ParameterCount;

    public double ValueAndGradient(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        gradient.Clear();
        double residuals = (double)data.Count * data.Outputs, sse = 0, scale = 2.0 / residuals;
        for (int b = 0; b < data.BlockCount; b++)
        {
            int n = data.Forward(theta, b, out var ws, out var targets);
            int m = n * data.Outputs;
            var output = ws.Output.AsSpan(0, m);
            var delta = ws.Delta[^1].AsSpan(0, m);
            for (int i = 0; i < m; i++)
            {
                double r = output[i] - targets[i];
                sse += r * r;
                delta[i] = scale * r; // ∂(Σr²/N)/∂outputᵢ
            }
            data.Network.Backward(ws, n, gradient);
        }
        double loss = sse / residuals;
        if (weightDecay > 0)
        {
            loss += 0.5 * weightDecay * TensorPrimitives.Dot(theta, theta);
            TensorPrimitives.MultiplyAdd(theta, weightDecay, gradient, gradient);
        }
        return loss;
    }
}

/// <summary>The training set as least squares for Levenberg–Marquardt: rᵢ = outputᵢ(θ) − targetᵢ, in the network's units;
/// with k outputs, k residuals per sample, a block of n samples holding its residuals output by output (k, n).</summary>
public sealed class NetworkLeastSquares(NetworkData data) : ILeastSquaresProblem
{
    public int ParameterCount => data.Shape.ParameterCount;
    public int ResidualCount => data.Count * data.Outputs;
    public int BlockSize => data.BlockSize * data.Outputs;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public double SumOfSquares(ReadOnlySpan<double> theta)
    {
        double sse = 0;
        for (int b = 0; b < data.BlockCount; b++)
        {
            int m = data.Forward(theta, b, out var ws, out var targets) * data.Outputs;
            for (int i = 0; i < m; i++)
            {
                double r = ws.Output[i] - targets[i];
                sse += r * r;
            }
        }
        return sse;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void Residuals(ReadOnlySpan<double> theta, Span<double> r)
    {
        for (int b = 0, start = 0; b < data.BlockCount; b++, start += BlockSize)
        {
            int m = data.Forward(theta, b, out var ws, out var targets) * data.Outputs;
            TensorPrimitives.Subtract(ws.Output.AsSpan(0, m), targets, r.Slice(start, m));
        }
    }

    public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product)
    {
        product.Clear();
        for (int b = 0, start = 0; b < data.BlockCount; b++, start += BlockSize)
        {
            int n = data.Forward(theta, b, out var ws, out _);
            u.Slice(start, n * data.Outputs).CopyTo(ws.Delta[^1]);
            data.Network.Backward(ws, n, product); // back-propagating u gives Σᵢ uᵢ ∂outputᵢ/∂θ
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian)
    {
        if (start % BlockSize != 0) throw new ArgumentException("residual blocks start at multiples of BlockSize", nameof(start));
        int n = data.Forward(theta, start / BlockSize, out var ws, out var targets), m = n * data.Outputs;
        if (m != count) throw new ArgumentException($"block at {start} holds {m} residuals, not {count}", nameof(count));
        for (int i = 0; i < m; i++) r[i] = ws.Output[i] - targets[i];
        OutputJacobian.Compute(data.Network, ws, n, jacobian);
    }

    /// <summary>
    /// Samples per Jacobian block for a network of P parameters: the block (P × n float64) is kept near 1 MB, so the
    /// rows that JᵀJ's dot products read again and again stay in cache.
    /// </summary>
    public static int BlockSizeFor(int parameterCount) => Math.Clamp(131072 / Math.Max(1, parameterCount), 64, 2048);
}
