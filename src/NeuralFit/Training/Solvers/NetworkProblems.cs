using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralFit.Networks;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// The training loss as L-BFGS sees it: mean squared error over the whole training set (and its outputs) plus (λ/2)‖θ‖², the same
/// L2 penalty that weight decay adds to the step optimizers' gradients (g + λθ).
/// </summary>
internal sealed class NetworkObjective(NetworkData data, double weightDecay = 0) : IObjective
{
    public int ParameterCount => data.Shape.ParameterCount;

    /// <summary>Bytes a block's workspace (x, y; z, a, δ of every layer) may take: a quarter of a 1 MB L2 cache (Zen 4/5;
    /// Intel's cores have 1.25–2 MB), leaving room for the weights, the gradient and the other buffers. Measured on the
    /// 8-32-1 tanh network over 1e5 rows (864 bytes a sample): 256-sample blocks took 49.7 ns a row for the loss and its
    /// gradient on one core, 1024-sample blocks (885 KB) 53.4.</summary>
    const int BlockBytes = 256 << 10;

    /// <summary>Samples per block of a gradient pass: the largest power of two whose workspace fits <see cref="BlockBytes"/>,
    /// from 128 (enough columns for the products' tiles) to 1024. Depends on the network only, so the lanes, and the
    /// numbers, are the same on every machine.</summary>
    public static int BlockSizeFor(NetworkShape shape)
    {
        long perSample = 8 * (shape.Inputs + shape.Outputs + 3L * shape.Slots.Sum(s => (long)s.FanOut));
        int samples = 1024;
        while (samples > 128 && samples * perSample > BlockBytes) samples /= 2;
        return samples;
    }

    public double ValueAndGradient(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double residuals = (double)data.Count * data.Outputs; // N: one residual per sample and output
        double loss = data.SumOfSquaresAndGradient(theta, gradient, 2.0 / residuals) / residuals; // ∂(Σr²/N)/∂outputᵢ = 2rᵢ/N
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
internal sealed class NetworkLeastSquares(NetworkData data) : ILeastSquaresProblem
{
    public int ParameterCount => data.Shape.ParameterCount;
    public int ResidualCount => data.Count * data.Outputs;
    public int BlockSize => data.BlockSize * data.Outputs;
    public int Threads => data.Threads;

    public double SumOfSquares(ReadOnlySpan<double> theta) => data.SumOfSquares(theta);

    public void Residuals(ReadOnlySpan<double> theta, Span<double> r) => data.Residuals(theta, r);

    public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product) =>
        data.JacobianTransposeTimes(theta, u, product);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian)
    {
        if (start % BlockSize != 0) throw new ArgumentException("residual blocks start at multiples of BlockSize", nameof(start));
        int n = data.Forward(theta, start / BlockSize, out var ws, out var targets), m = n * data.Outputs;
        if (m != count) throw new ArgumentException($"block at {start} holds {m} residuals, not {count}", nameof(count));
        for (int i = 0; i < m; i++) r[i] = ws.Output[i] - targets[i];
        OutputJacobian.Compute(data.Network, ws, n, jacobian);
    }

    public int JacobianLanes => data.LaneCount;

    public void ResidualsAndJacobians(ReadOnlySpan<double> theta, int first, Span<double> r, ReadOnlySpan<double[]> jacobians) =>
        data.ResidualsAndJacobians(theta, first, r, jacobians);

    /// <summary>
    /// Samples per Jacobian block for a network of P parameters: the block (P × n float64) is kept near 1 MB, so the
    /// rows that JᵀJ's dot products read again and again stay in cache.
    /// </summary>
    public static int BlockSizeFor(int parameterCount) => Math.Clamp(131072 / Math.Max(1, parameterCount), 64, 2048);
}
