using System.Globalization;
using System.Numerics.Tensors;

namespace NeuralFit.Training.Solvers;

internal sealed record LbfgsOptions
{
    /// <summary>Correction pairs kept (m). Nocedal and Wright suggest 3–20; 10 is scipy's default.</summary>
    public int History { get; init; } = 10;

    /// <summary>Converged when the loss falls by less than this fraction of itself for <see cref="StallIterations"/> iterations in a row.</summary>
    public double RelativeTolerance { get; init; } = 1e-12;
    public int StallIterations { get; init; } = 10;
}

/// <summary>
/// Limited-memory BFGS: Nocedal and Wright, Numerical Optimization, 2nd ed. (2006), Algorithm 7.5, with the
/// two-loop recursion of Algorithm 7.4 for the direction −H∇f, the initial inverse Hessian γI with
/// γ = sᵀy / yᵀy (their eq. 7.20), and a strong-Wolfe line search (<see cref="StrongWolfeLineSearch"/>) that keeps
/// every stored pair's curvature sᵀy positive. The first step is scaled to min(1, 1/‖∇f‖₁), as
/// torch.optim.LBFGS does (https://pytorch.org/docs/stable/generated/torch.optim.LBFGS.html).
/// </summary>
internal sealed class Lbfgs : IWholeBatchSolver
{
    readonly IObjective _objective;
    readonly LbfgsOptions _options;
    readonly StrongWolfeLineSearch _lineSearch;
    readonly double[][] _s, _y;
    readonly double[] _rho, _alpha;
    readonly double[] _theta, _gradient, _direction, _nextTheta, _nextGradient;
    int _stored, _newest = -1, _stalled;
    double _value = double.NaN;
    bool _started, _resumed;

    public Lbfgs(IObjective objective, LbfgsOptions? options = null)
    {
        _objective = objective;
        _options = options ?? new LbfgsOptions();
        int p = objective.ParameterCount, m = Math.Max(1, _options.History);
        _lineSearch = new StrongWolfeLineSearch(p);
        _s = Enumerable.Range(0, m).Select(_ => new double[p]).ToArray();
        _y = Enumerable.Range(0, m).Select(_ => new double[p]).ToArray();
        _rho = new double[m];
        _alpha = new double[m];
        _theta = new double[p];
        _gradient = new double[p];
        _direction = new double[p];
        _nextTheta = new double[p];
        _nextGradient = new double[p];
    }

    public int Iterations { get; private set; }
    public int Evaluations { get; private set; }

    /// <summary>Correction pairs a checkpoint holds: the default history (other sizes are not checkpointed).</summary>
    internal const int StateHistory = 10;

    /// <summary>Stored pairs, the newest's slot, the stall count, iterations and evaluations; after the m values of ρ.</summary>
    internal const int StateScalars = 5;

    public int StateVectorCount => SolverState.LbfgsVectors(_theta.Length);

    public void SaveState(IReadOnlyList<double[]> vectors)
    {
        if (_s.Length != StateHistory) throw new InvalidOperationException($"only an L-BFGS history of {StateHistory} is checkpointed");
        for (int i = 0; i < StateHistory; i++)
        {
            _s[i].CopyTo(vectors[i], 0);
            _y[i].CopyTo(vectors[StateHistory + i], 0);
        }
        SolverState.WriteScalars(vectors, 2 * StateHistory, [.. _rho, _stored, _newest, _stalled, Iterations, Evaluations]);
    }

    public void LoadState(IReadOnlyList<double[]> vectors)
    {
        for (int i = 0; i < StateHistory; i++)
        {
            vectors[i].CopyTo(_s[i], 0);
            vectors[StateHistory + i].CopyTo(_y[i], 0);
        }
        var scalars = new double[StateHistory + StateScalars];
        SolverState.ReadScalars(vectors, 2 * StateHistory, scalars);
        scalars.AsSpan(0, StateHistory).CopyTo(_rho);
        (_stored, _newest, _stalled, Iterations, Evaluations) = ((int)scalars[StateHistory], (int)scalars[StateHistory + 1],
            (int)scalars[StateHistory + 2], (int)scalars[StateHistory + 3], (int)scalars[StateHistory + 4]);
        _resumed = true; // the next iteration takes θ as given and keeps the history
    }
    public string State => string.Create(CultureInfo.InvariantCulture, $"{_stored} pairs, {Evaluations} evaluations");

    public SolverStep Iterate(Span<double> theta)
    {
        if (_resumed) Resume(theta);
        // Someone else moved θ (a restore, a new start): what the solver remembers no longer applies.
        else if (!_started || !theta.SequenceEqual(_theta)) Restart(theta);
        double before = _value;
        Iterations++;

        bool firstStep = _stored == 0;
        Direction();
        double slope = TensorPrimitives.Dot<double>(_gradient, _direction);
        if (!(slope < 0))
        {
            if (!(TensorPrimitives.Norm<double>(_gradient) > 0)) return new SolverStep(before, before, true, "the gradient is zero");
            ForgetHistory(); // H lost positive definiteness numerically: fall back to steepest descent
            firstStep = true;
            Direction();
        }
        double t0 = firstStep ? Math.Min(1.0, 1.0 / TensorPrimitives.SumOfMagnitudes<double>(_gradient)) : 1.0;
        var found = _lineSearch.Search(_objective, _theta, _direction, _value, _gradient, t0, _nextTheta, _nextGradient);
        Evaluations += found.Evaluations;
        if (!found.Decreased(_value) && !firstStep)
        {
            ForgetHistory(); // a poor quasi-Newton direction: try once more along −∇f
            Direction();
            t0 = Math.Min(1.0, 1.0 / TensorPrimitives.SumOfMagnitudes<double>(_gradient));
            found = _lineSearch.Search(_objective, _theta, _direction, _value, _gradient, t0, _nextTheta, _nextGradient);
            Evaluations += found.Evaluations;
        }
        if (!found.Decreased(_value))
            return new SolverStep(before, before, true, "no step along the gradient lowers the loss any further");

        Remember();
        double after = found.Value;
        _stalled = before - after <= _options.RelativeTolerance * Math.Abs(before) ? _stalled + 1 : 0;
        _value = after;
        _nextTheta.CopyTo(_theta, 0);
        _nextGradient.CopyTo(_gradient, 0);
        _theta.CopyTo(theta);
        return _stalled >= _options.StallIterations
            ? new SolverStep(before, after, true, $"the loss fell by less than {_options.RelativeTolerance:g1} of itself for {_stalled} iterations")
            : new SolverStep(before, after);
    }

    void Restart(ReadOnlySpan<double> theta)
    {
        theta.CopyTo(_theta);
        _value = _objective.ValueAndGradient(_theta, _gradient);
        Evaluations++;
        ForgetHistory();
        _started = true;
        _stalled = 0;
        if (!double.IsFinite(_value)) throw new InvalidOperationException("L-BFGS started where the loss is not finite");
    }

    /// <summary>After <see cref="LoadState"/>: the loss and gradient at θ, computed again (the same numbers the run had).</summary>
    void Resume(ReadOnlySpan<double> theta)
    {
        theta.CopyTo(_theta);
        _value = _objective.ValueAndGradient(_theta, _gradient);
        (_started, _resumed) = (true, false);
    }

    void ForgetHistory() => (_stored, _newest) = (0, -1);

    /// <summary>d = −H∇f by the two-loop recursion (Algorithm 7.4), newest pair first.</summary>
    void Direction()
    {
        var q = _direction;
        for (int i = 0; i < q.Length; i++) q[i] = -_gradient[i];
        int m = _s.Length;
        for (int k = 0; k < _stored; k++)
        {
            int i = (_newest - k + m) % m;
            _alpha[i] = _rho[i] * TensorPrimitives.Dot<double>(_s[i], q);
            TensorPrimitives.MultiplyAdd(_y[i], -_alpha[i], q, q);
        }
        if (_stored > 0)
        {
            int i = _newest;
            double gamma = TensorPrimitives.Dot<double>(_s[i], _y[i]) / TensorPrimitives.Dot<double>(_y[i], _y[i]);
            TensorPrimitives.Multiply(q, gamma, q);
        }
        for (int k = _stored - 1; k >= 0; k--)
        {
            int i = (_newest - k + m) % m;
            double beta = _rho[i] * TensorPrimitives.Dot<double>(_y[i], q);
            TensorPrimitives.MultiplyAdd(_s[i], _alpha[i] - beta, q, q);
        }
    }

    /// <summary>Stores s = θ₁ − θ₀, y = ∇f₁ − ∇f₀ when its curvature sᵀy is safely positive.</summary>
    void Remember()
    {
        int m = _s.Length, slot = (_newest + 1) % m;
        TensorPrimitives.Subtract(_nextTheta, _theta, _s[slot]);
        TensorPrimitives.Subtract(_nextGradient, _gradient, _y[slot]);
        double sy = TensorPrimitives.Dot<double>(_s[slot], _y[slot]);
        double yy = TensorPrimitives.Dot<double>(_y[slot], _y[slot]);
        if (!(sy > 1e-10 * yy) || !double.IsFinite(sy)) return;
        _rho[slot] = 1 / sy;
        _newest = slot;
        _stored = Math.Min(_stored + 1, m);
    }
}
