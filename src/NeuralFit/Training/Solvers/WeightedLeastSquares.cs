using System.Numerics.Tensors;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// A least-squares problem with a weight per residual: Σ wᵢ rᵢ(θ)², posed to a solver as the plain problem with
/// residuals √wᵢ·rᵢ and Jacobian rows √wᵢ·∂rᵢ/∂θ. The weights may change between iterations (Lawson's algorithm
/// reweights after each round); a solver that keeps state from earlier residuals must be told (see
/// <see cref="LawsonMinimax"/>).
/// </summary>
internal sealed class WeightedLeastSquares(ILeastSquaresProblem inner) : ILeastSquaresProblem
{
    readonly double[] _scale = Enumerable.Repeat(1.0, inner.ResidualCount).ToArray();
    readonly double[] _scratch = new double[inner.ResidualCount];

    public int ParameterCount => inner.ParameterCount;
    public int ResidualCount => inner.ResidualCount;
    public int BlockSize => inner.BlockSize;

    /// <summary>Sets wᵢ (≥ 0), in the inner problem's residual order.</summary>
    public void SetWeights(ReadOnlySpan<double> weights)
    {
        if (weights.Length != _scale.Length) throw new ArgumentException($"{weights.Length} weights for {_scale.Length} residuals", nameof(weights));
        for (int i = 0; i < _scale.Length; i++) _scale[i] = Math.Sqrt(Math.Max(weights[i], 0));
    }

    /// <summary>The unweighted residuals, for the caller that sets the weights from them.</summary>
    public void UnweightedResiduals(ReadOnlySpan<double> theta, Span<double> r) => inner.Residuals(theta, r);

    public double SumOfSquares(ReadOnlySpan<double> theta)
    {
        Residuals(theta, _scratch);
        return TensorPrimitives.Dot<double>(_scratch, _scratch);
    }

    public void Residuals(ReadOnlySpan<double> theta, Span<double> r)
    {
        inner.Residuals(theta, r);
        TensorPrimitives.Multiply(r, _scale, r);
    }

    public int Threads => inner.Threads;
    public int JacobianLanes => inner.JacobianLanes;

    public void ResidualsAndJacobian(ReadOnlySpan<double> theta, int start, int count, Span<double> r, Span<double> jacobian)
    {
        inner.ResidualsAndJacobian(theta, start, count, r, jacobian);
        Weigh(start, count, r, jacobian);
    }

    public void ResidualsAndJacobians(ReadOnlySpan<double> theta, int first, Span<double> r, ReadOnlySpan<double[]> jacobians)
    {
        inner.ResidualsAndJacobians(theta, first, r, jacobians);
        for (int b = 0; b < jacobians.Length; b++)
        {
            int start = (first + b) * BlockSize, count = Math.Min(BlockSize, ResidualCount - start);
            Weigh(start, count, r.Slice(start, count), jacobians[b].AsSpan(0, ParameterCount * count));
        }
    }

    /// <summary>Residuals [start, start + count) and their Jacobian rows times √wᵢ.</summary>
    void Weigh(int start, int count, Span<double> r, Span<double> jacobian)
    {
        var scale = _scale.AsSpan(start, count);
        TensorPrimitives.Multiply(r, scale, r);
        for (int p = 0; p < ParameterCount; p++)
        {
            var row = jacobian.Slice(p * count, count); // jacobian (P, count) parameter-major
            TensorPrimitives.Multiply(row, scale, row);
        }
    }

    public void JacobianTransposeTimes(ReadOnlySpan<double> theta, ReadOnlySpan<double> u, Span<double> product)
    {
        TensorPrimitives.Multiply(u, _scale, _scratch); // (diag(s) J)ᵀ u = Jᵀ (s ∘ u)
        inner.JacobianTransposeTimes(theta, _scratch, product);
    }
}
