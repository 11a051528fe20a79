using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using NeuralFit.Numerics;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// Geodesic acceleration for Levenberg–Marquardt (Transtrum, Machta and Sethna 2011, "Geometry of nonlinear least
/// squares with applications to sloppy models and optimization"; Transtrum and Sethna 2012, "Improvements to the
/// Levenberg-Marquardt algorithm for nonlinear least-squares minimization", arXiv:1201.5885). The LM step v is the
/// velocity of a path through parameter space; where the residuals bend along it (a narrow curved valley, typical of
/// networks, whose parameters are "sloppy"), a second-order term a = −(JᵀJ + μD)⁻¹ Jᵀ r_vv, with r_vv the second
/// directional derivative of the residuals along v, lets the step follow the bend: δ = v + a/2. The step is refused
/// (and μ raised) when the correction is large against the step, 2‖a‖/‖v‖ &gt; <see cref="MaxRatio"/> = 0.75, the
/// paper's value. r_vv is the paper's one-sided difference (2/h)((r(θ + hv) − r(θ))/h − Jv) with h = 0.1 when the
/// normal equations kept J; otherwise a central second difference, and Jᵀr_vv by one backward pass. Per step this
/// costs one or two residual evaluations and a solve with the factor LM already has.
/// </summary>
internal sealed class GeodesicAcceleration(ILeastSquaresProblem problem, NormalEquations normal)
{
    public const double MaxRatio = 0.75;
    public const double FiniteStep = 0.1;

    readonly double[] _shifted = new double[problem.ParameterCount];
    readonly double[] _plus = new double[problem.ResidualCount], _minus = new double[problem.ResidualCount];
    readonly double[] _correction = new double[problem.ParameterCount];

    /// <summary>
    /// Turns the velocity <paramref name="step"/> (v) into v + a/2 in place. <paramref name="factor"/> is the
    /// Cholesky factor of the damped system that gave v; the residuals at θ are the normal equations'. False when the
    /// correction is too large to trust.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot from the first call: skip the tier-0 JIT
    public bool Correct(ReadOnlySpan<double> theta, ReadOnlySpan<double> factor, Span<double> step)
    {
        int p = step.Length;
        double h = FiniteStep;
        var residuals = normal.Residuals;
        TensorPrimitives.MultiplyAdd(step, h, theta, _shifted);
        problem.Residuals(_shifted, _plus);
        if (normal.KeepsJacobian)
        {
            // r_vv ≈ (2/h)((r(θ + hv) − r(θ))/h − Jv), kept in _plus
            normal.JacobianTimes(step, _minus);
            for (int i = 0; i < _plus.Length; i++) _plus[i] = 2 / h * ((_plus[i] - residuals[i]) / h - _minus[i]);
            normal.JacobianTransposeTimes(_plus, _correction);
        }
        else
        {
            TensorPrimitives.MultiplyAdd(step, -h, theta, _shifted);
            problem.Residuals(_shifted, _minus);
            // r_vv ≈ (r(θ + hv) − 2r(θ) + r(θ − hv)) / h², kept in _plus
            for (int i = 0; i < _plus.Length; i++) _plus[i] = (_plus[i] - 2 * residuals[i] + _minus[i]) / (h * h);
            problem.JacobianTransposeTimes(theta, _plus, _correction);
        }
        Cholesky.Solve(factor, p, _correction, _correction);
        // a = −(JᵀJ + μD)⁻¹ Jᵀ r_vv
        double velocity = TensorPrimitives.Norm<double>(step), acceleration = TensorPrimitives.Norm<double>(_correction);
        if (!(2 * acceleration <= MaxRatio * velocity)) return false;
        TensorPrimitives.MultiplyAdd(_correction, -0.5, step, step);
        return true;
    }
}
