using System.Globalization;
using System.Numerics.Tensors;
using NeuralFit.Numerics;

namespace NeuralFit.Training.Solvers;

internal sealed record LevenbergMarquardtOptions
{
    /// <summary>μ at the start, and its factors after a step that lowers the loss and one that does not: MATLAB
    /// trainlm's defaults (mu 0.001, mu_dec 0.1, mu_inc 10, mu_max 1e10).</summary>
    public double InitialDamping { get; init; } = 1e-3;
    public double DampingDecrease { get; init; } = 0.1;
    public double DampingIncrease { get; init; } = 10;
    public double MaxDamping { get; init; } = 1e10;

    /// <summary>Marquardt's scaling: damp with μ diag(JᵀJ) instead of μI, so the step does not depend on the
    /// parameters' units. Off by default, as in trainlm: a parameter the data hardly see has a tiny diagonal and
    /// would be left almost undamped.</summary>
    public bool ScaleDamping { get; init; }

    /// <summary>Nielsen's damping update (Madsen, Nielsen and Tingleff, "Methods for non-linear least squares
    /// problems", 2004, eq. 3.16) instead of ×0.1 / ×10: after a step, μ ← μ·max(1/3, 1 − (2ϱ − 1)³) with ϱ the
    /// actual over the predicted reduction; after a failure μ ← μν, ν ← 2ν.</summary>
    public bool NielsenDamping { get; init; }

    /// <summary>Geodesic acceleration (<see cref="GeodesicAcceleration"/>): a second-order correction to each step.</summary>
    public bool GeodesicAcceleration { get; init; } = true;

    /// <summary>A fixed L2 penalty ρ‖θ‖² added to Σr² (weight decay); ignored with Bayesian regularisation, which sets its own.</summary>
    public double Ridge { get; init; }

    /// <summary>Bayesian regularisation: the penalty is re-estimated every iteration from the evidence (MacKay).</summary>
    public bool Bayesian { get; init; }

    /// <summary>Converged when the loss falls by less than this fraction of itself for <see cref="StallIterations"/> iterations in a row.</summary>
    public double RelativeTolerance { get; init; } = 1e-12;
    public int StallIterations { get; init; } = 10;
}

/// <summary>
/// Levenberg–Marquardt for min Σr(θ)² + ρ‖θ‖²: each iteration solves (JᵀJ + (ρ + μ)I) δ = −(Jᵀr + ρθ) by Cholesky,
/// in float64, and takes δ if it lowers the objective; μ shrinks 10× after a step that does and grows 10× before
/// retrying one that does not (Levenberg 1944; Marquardt 1963, "An algorithm for least-squares estimation of
/// nonlinear parameters", with the damping adaptation of MATLAB's trainlm and Hagan and Menhaj 1994, "Training
/// feedforward networks with the Marquardt algorithm"). Converged when μ passes its maximum: no step lowers it.
///
/// With <see cref="LevenbergMarquardtOptions.Bayesian"/>, Bayesian regularisation as MATLAB's trainbr: the
/// objective is βE_D + αE_W with E_D = Σr², E_W = ‖θ‖², and α and β are re-estimated from the evidence at every
/// iteration (MacKay 1992, "Bayesian interpolation"; Foresee and Hagan 1997, "Gauss-Newton approximation to
/// Bayesian learning"): γ = P − α tr((βJᵀJ + αI)⁻¹) well-determined parameters, α = γ / 2E_W, β = (N − γ) / 2E_D.
/// Dividing through by β, that is the ridge problem above with ρ = α/β. Unlike trainbr, γ is evaluated with JᵀJ
/// at the current point (trainbr uses the one before the last step) and μ is relative to JᵀJ rather than to βJᵀJ.
/// </summary>
internal sealed class LevenbergMarquardt : IWholeBatchSolver
{
    readonly ILeastSquaresProblem _problem;
    readonly LevenbergMarquardtOptions _options;
    readonly NormalEquations _normal;
    readonly GeodesicAcceleration? _acceleration;
    readonly double[] _system, _step, _trial;
    readonly int _p, _n;
    int _stalled;
    double _nu = 2;

    public LevenbergMarquardt(ILeastSquaresProblem problem, LevenbergMarquardtOptions? options = null)
    {
        _problem = problem;
        _options = options ?? new LevenbergMarquardtOptions();
        _p = problem.ParameterCount;
        _n = problem.ResidualCount;
        _normal = new NormalEquations(problem);
        _acceleration = _options.GeodesicAcceleration ? new GeodesicAcceleration(problem, _normal) : null;
        _system = new double[_p * _p];
        _step = new double[_p];
        _trial = new double[_p];
        Damping = _options.InitialDamping;
        Ridge = _options.Bayesian ? 0 : _options.Ridge;
    }

    public int Iterations { get; private set; }

    /// <summary>μ, the current damping.</summary>
    public double Damping { get; private set; }

    /// <summary>ρ, the penalty on ‖θ‖² relative to Σr² (α/β with Bayesian regularisation).</summary>
    public double Ridge { get; private set; }

    /// <summary>Bayesian regularisation: α, β and γ, the effective number of parameters (NaN before the first iteration).</summary>
    public (double Alpha, double Beta, double Gamma) Evidence { get; private set; } = (double.NaN, double.NaN, double.NaN);

    public string State => _options.Bayesian
        ? string.Create(CultureInfo.InvariantCulture, $"μ {Damping:g2}, γ {Evidence.Gamma:F1} of {_p} parameters, α/β {Ridge:g3}")
        : string.Create(CultureInfo.InvariantCulture, $"μ {Damping:g2}");

    /// <summary>μ, ν, α, β, γ, ρ, the stall count and the iterations (α, β, γ are −1 before the first estimate).</summary>
    internal const int StateScalars = 8;

    public int StateVectorCount => SolverState.LevenbergMarquardtVectors(_p);

    public void SaveState(IReadOnlyList<double[]> vectors)
    {
        var (alpha, beta, gamma) = Evidence;
        SolverState.WriteScalars(vectors, 0, [Damping, _nu, Finite(alpha), Finite(beta), Finite(gamma), Ridge, _stalled, Iterations]);
        static double Finite(double v) => double.IsNaN(v) ? -1 : v;
    }

    public void LoadState(IReadOnlyList<double[]> vectors)
    {
        Span<double> v = stackalloc double[StateScalars];
        SolverState.ReadScalars(vectors, 0, v);
        (Damping, _nu, Ridge, _stalled, Iterations) = (v[0], v[1], v[5], (int)v[6], (int)v[7]);
        Evidence = v[4] < 0 ? (double.NaN, double.NaN, double.NaN) : (v[2], v[3], v[4]);
    }

    /// <summary>Starts the damping afresh, as at the first iteration: the problem's residuals changed under the solver
    /// (new weights), so the trust it had built up no longer applies.</summary>
    public void Restart()
    {
        Damping = _options.InitialDamping;
        _nu = 2;
        _stalled = 0;
    }

    public SolverStep Iterate(Span<double> theta)
    {
        Iterations++;
        _normal.Build(theta);
        double sse = _normal.SumOfSquares, weights = TensorPrimitives.Dot<double>(theta, theta);
        double before = sse / _n;
        if (!double.IsFinite(sse)) return new SolverStep(before, before, true, "the loss is not finite");
        if (_options.Bayesian) UpdateEvidence(sse, weights);

        double objective = sse + Ridge * weights;
        while (Damping <= _options.MaxDamping)
        {
            if (TrySolve(theta) && (_acceleration is null || _acceleration.Correct(theta, _system, _step)))
            {
                TensorPrimitives.Add(theta, _step, _trial);
                double trialSse = _problem.SumOfSquares(_trial);
                double trialObjective = trialSse + Ridge * TensorPrimitives.Dot<double>(_trial, _trial);
                if (trialObjective < objective)
                {
                    double predicted = PredictedReduction(theta);
                    _trial.CopyTo(theta);
                    Relax((objective - trialObjective) / predicted);
                    _stalled = objective - trialObjective <= _options.RelativeTolerance * objective ? _stalled + 1 : 0;
                    return _stalled >= _options.StallIterations
                        ? new SolverStep(before, trialSse / _n, true, $"the loss fell by less than {_options.RelativeTolerance:g1} of itself for {_stalled} iterations")
                        : new SolverStep(before, trialSse / _n);
                }
            }
            Tighten();
        }
        return new SolverStep(before, before, true, string.Create(CultureInfo.InvariantCulture,
            $"the damping μ passed {_options.MaxDamping:g2}: no step lowers the loss any further"));
    }

    /// <summary>After a step that lowered the objective by <paramref name="gain"/> times the model's prediction.</summary>
    void Relax(double gain)
    {
        if (_options.NielsenDamping)
        {
            Damping *= Math.Max(1.0 / 3, 1 - Math.Pow(2 * Math.Min(gain, 1) - 1, 3));
            _nu = 2;
        }
        else Damping *= _options.DampingDecrease;
        Damping = Math.Max(Damping, 1e-20);
    }

    /// <summary>After a step that did not.</summary>
    void Tighten()
    {
        if (_options.NielsenDamping)
        {
            Damping *= _nu;
            _nu *= 2;
        }
        else Damping *= _options.DampingIncrease;
    }

    /// <summary>δ from (JᵀJ + (ρ + μ)D) δ = −(Jᵀr + ρθ), D = I or diag(JᵀJ); false if the system is not positive definite.
    /// Leaves the factor of the system in <see cref="_system"/>.</summary>
    bool TrySolve(ReadOnlySpan<double> theta)
    {
        _normal.JtJ.CopyTo(_system, 0);
        for (int i = 0; i < _p; i++) _system[i * _p + i] += Ridge + Damping * DampingScale(i);
        if (!Cholesky.Factor(_system, _p)) return false;
        for (int i = 0; i < _p; i++) _step[i] = -(_normal.JtR[i] + Ridge * theta[i]);
        Cholesky.Solve(_system, _p, _step, _step);
        return double.IsFinite(TensorPrimitives.SumOfMagnitudes<double>(_step));
    }

    double DampingScale(int i) => _options.ScaleDamping ? Math.Max(_normal.JtJ[i * _p + i], 1e-12) : 1;

    /// <summary>
    /// The objective's fall predicted by its Gauss–Newton model for the step δ: −2δᵀh − δᵀ(JᵀJ + ρI)δ with
    /// h = Jᵀr + ρθ, computed from the normal equations at the point the step left.
    /// </summary>
    double PredictedReduction(ReadOnlySpan<double> theta)
    {
        double linear = 0, quadratic = 0;
        for (int i = 0; i < _p; i++)
        {
            linear += _step[i] * (_normal.JtR[i] + Ridge * theta[i]);
            double row = TensorPrimitives.Dot<double>(_normal.JtJ.AsSpan(i * _p, _p), _step) + Ridge * _step[i];
            quadratic += _step[i] * row;
        }
        return -2 * linear - quadratic;
    }

    /// <summary>MacKay's re-estimation of α and β at the current point (trainbr's update).</summary>
    void UpdateEvidence(double sse, double weights)
    {
        double gamma, alpha, beta;
        if (double.IsNaN(Evidence.Gamma))
        {
            gamma = _p; // trainbr starts by taking every parameter as well-determined
            beta = sse > 0 ? (_n - gamma) / (2 * sse) : 1;
            if (!(beta > 0)) beta = 1;
            alpha = weights > 0 ? gamma / (2 * weights) : 1;
        }
        else
        {
            (alpha, beta, _) = Evidence;
            _normal.JtJ.CopyTo(_system, 0);
            double ratio = alpha / beta;
            for (int i = 0; i < _p; i++) _system[i * _p + i] += ratio;
            if (!Cholesky.Factor(_system, _p)) return; // keep the last estimate
            // tr((βJᵀJ + αI)⁻¹) = tr((JᵀJ + (α/β)I)⁻¹) / β
            gamma = Math.Clamp(_p - alpha / beta * Cholesky.TraceOfInverse(_system, _p), 0, _p);
            alpha = weights > 0 ? gamma / (2 * weights) : 1;
            beta = sse > 0 && _n > gamma ? (_n - gamma) / (2 * sse) : beta;
        }
        Evidence = (alpha, beta, gamma);
        Ridge = alpha / beta;
    }
}
