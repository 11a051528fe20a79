using NeuralFit.Configuration;
using NeuralFit.Networks;

namespace NeuralFit.Benchmarking;

/// <summary>
/// One benchmark case: an MLP (ReLU hidden layers unless <see cref="Activation"/> says otherwise, linear output) trained
/// with Adam on one fixed batch of x ~ U[0.01, 1), y = ln(x), as `peers/torch_bench.py` does, so the two can be compared
/// case by case. <see cref="Products"/> cases turn off the one-input segments (<see cref="Networks.KernelPlan{T}"/>'s
/// one-input segments) so every layer runs as a product: they measure the SIMD kernels themselves. The tanh cases have
/// no peer: they time the activation pass the product's epilogue cannot apply (tanh through TensorPrimitives).
/// <see cref="Segments"/> cases (question-net-b500, wide-net-b1024 and its 2-thread twin) run the segments on every
/// step, whatever the cost model would choose for the batch: they measure that path, as their names always meant.
/// </summary>
/// <param name="Solver">For a whole-batch solver's case (<see cref="SolverBenchmark"/>): lbfgs or lm on a fixed
/// training set of <paramref name="Batch"/> rows of a tanh network; null for a training step's case.</param>
internal sealed record BenchCase(string Name, int[] Sizes, int Batch, Precision Precision = Precision.Float32, int Threads = 1,
    bool Products = false, Activation Activation = Activation.Relu, OptimizerKind? Solver = null, bool Segments = false)
{
    /// <summary>The cases of `neuralfit bench`; the first three carry the PyTorch peer's names and run the training
    /// step as `neuralfit fit` would; the last two time whole-batch solvers' iterations on the default network of an
    /// 8-input data file (8-32-1 tanh, float64), on both cores.</summary>
    public static IReadOnlyList<BenchCase> All { get; } =
    [
        new("question-net-b50", [1, 50, 10, 1], 50),
        new("question-net-b500", [1, 50, 10, 1], 500, Segments: true),
        new("wide-net-b1024", [1, 256, 256, 1], 1024, Segments: true),
        new("question-net-b500-products", [1, 50, 10, 1], 500, Products: true),
        new("wide-net-b1024-products", [1, 256, 256, 1], 1024, Products: true),
        new("wide-net-b1024-float64-products", [1, 256, 256, 1], 1024, Precision.Float64, Products: true),
        new("wide-net-b1024-2-threads-products", [1, 256, 256, 1], 1024, Threads: 2, Products: true),
        new("wide-net-b1024-2-threads", [1, 256, 256, 1], 1024, Threads: 2, Segments: true),
        new("wide-net-b1024-tanh", [1, 256, 256, 1], 1024, Activation: Activation.Tanh),
        new("wide-net-b1024-float64-tanh", [1, 256, 256, 1], 1024, Precision.Float64, Activation: Activation.Tanh),
        new("lbfgs-8in-1e5", [8, 32, 1], 100_000, Precision.Float64, Threads: 2, Solver: OptimizerKind.Lbfgs),
        new("lm-8in-1e4", [8, 32, 1], 10_000, Precision.Float64, Threads: 2, Solver: OptimizerKind.Lm),
    ];

    /// <summary>
    /// The peer's formula: forward 2·n·in·out per layer, backward twice that (dx and dw), Adam about 10 per
    /// parameter. It counts dx for the input layer too, which neither side computes; kept so the numbers compare.
    /// </summary>
    public double FlopsPerStep
    {
        get
        {
            double mm = 0, parameters = 0;
            for (int l = 0; l + 1 < Sizes.Length; l++)
            {
                mm += 2.0 * Batch * Sizes[l] * Sizes[l + 1];
                parameters += (double)Sizes[l] * Sizes[l + 1] + Sizes[l + 1];
            }
            return 3 * mm + 10 * parameters;
        }
    }
}
