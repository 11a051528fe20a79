using System.Globalization;

namespace NeuralFit.Training.Solvers;

/// <summary>
/// Minimax fitting — the smallest largest error — by Lawson's algorithm (Lawson 1961; Rice and Usow, "The Lawson
/// algorithm and extensions", Math. Comp. 22, 1968): weighted least squares whose weights are multiplied after each
/// round by the residuals' magnitudes, w ← w∘|r| / mean(w∘|r|), so the points that keep the largest errors gain weight
/// until the fit's error is level over them; for a linear model the weighted least-squares fits converge to the
/// minimax fit. A network is not linear, so each round runs Levenberg–Marquardt on the weighted problem until it
/// converges or for <see cref="RoundIterations"/> iterations, then the weights are updated from the unweighted
/// residuals, lm's damping restarts, and the parameters with the smallest largest residual so far are kept (a round
/// that ends worse is undone). Weights never fall below <see cref="WeightFloor"/> of the mean, so no point is
/// forgotten while the worst ones move. The loss it reports is the largest squared residual: the objective.
/// Checkpoints keep lm's state and Lawson's (weights, best parameters, round and stall counts), so a resumed run goes
/// on as the uninterrupted one would.
/// </summary>
internal sealed class LawsonMinimax : IWholeBatchSolver
{
    /// <summary>lm iterations per round at most: enough for lm to settle on the weighted problem (it converges in
    /// 5–20 from a good start), few enough that the weights follow the fit.</summary>
    public const int RoundIterations = 10;

    /// <summary>A round also ends once an lm iteration lowers the weighted loss by less than this fraction of itself. The
    /// next reweighting changes the weights by factors of order one, so solving the weighted problem more closely than
    /// that buys nothing (IRLS with inexact inner solves). Measured with lm's own rules as the only end of a round against
    /// this one (seed 1, max |error|, lm iterations): ReLU 1-50-10-1 on ln(x) 4.34e-4 in 61 against 4.34e-4 in 21;
    /// ReLU 1-30-10-1 on sin(5x) 3.1e-3 in 77 against 3.1e-3 in 53; ReLU 1-20-1 on √x 7.9e-4 in 96 against 85; tanh
    /// 1-8-1 on sin(3x)+0.3x² 6.4e-6 in 360 against 6.5e-6 in 209. At 1e-2 the tanh fit ended at 3.4e-5.</summary>
    public const double RoundTolerance = 1e-3;

    public const double WeightFloor = 1e-4;

    /// <summary>Rounds in a row without lowering the largest residual by <see cref="Gain"/> before it stops.</summary>
    public const int StallRounds = 6;
    const double Gain = 1e-3;

    readonly WeightedLeastSquares _problem;
    readonly LevenbergMarquardt _lm;
    readonly double[] _weights, _r, _best;
    double _bestMax = double.PositiveInfinity, _roundStart = double.PositiveInfinity, _lastLoss = double.NaN;
    int _inRound, _stalled, _rounds;

    public LawsonMinimax(ILeastSquaresProblem problem, LevenbergMarquardtOptions? options = null)
    {
        _problem = new WeightedLeastSquares(problem);
        _lm = new LevenbergMarquardt(_problem, options);
        _weights = Enumerable.Repeat(1.0, problem.ResidualCount).ToArray();
        _r = new double[problem.ResidualCount];
        _best = new double[problem.ParameterCount];
    }

    public int Iterations => _lm.Iterations;

    /// <summary>The largest residual at the best parameters so far (network units).</summary>
    public double LargestResidual => _bestMax;

    public string State => string.Create(CultureInfo.InvariantCulture, $"round {_rounds + 1}, largest residual {_bestMax:g3}, {_lm.State}");

    /// <summary>lm's state vectors, then Lawson's: its scalars (<see cref="StateScalars"/>), the weights (one per
    /// residual) and the best parameters so far, packed end to end into vectors of the parameters' length.</summary>
    public int StateVectorCount => _lm.StateVectorCount + SolverState.LawsonVectors(_best.Length, _weights.Length);

    /// <summary>The best and the round's starting largest residual, the last loss, the iterations in this round, the
    /// stalled rounds and the rounds (an infinite or missing value as −1: checkpoints hold finite numbers only).</summary>
    internal const int StateScalars = 6;

    public void SaveState(IReadOnlyList<double[]> vectors)
    {
        _lm.SaveState(vectors);
        var packed = new double[StateScalars + _weights.Length + _best.Length];
        double[] scalars = [Finite(_bestMax), Finite(_roundStart), Finite(_lastLoss), _inRound, _stalled, _rounds];
        scalars.CopyTo(packed, 0);
        _weights.CopyTo(packed, StateScalars);
        _best.CopyTo(packed, StateScalars + _weights.Length);
        SolverState.WriteScalars(vectors, _lm.StateVectorCount, packed);
        static double Finite(double v) => double.IsFinite(v) ? v : -1;
    }

    public void LoadState(IReadOnlyList<double[]> vectors)
    {
        _lm.LoadState(vectors);
        var packed = new double[StateScalars + _weights.Length + _best.Length];
        SolverState.ReadScalars(vectors, _lm.StateVectorCount, packed);
        _bestMax = packed[0] < 0 ? double.PositiveInfinity : packed[0];
        _roundStart = packed[1] < 0 ? double.PositiveInfinity : packed[1];
        _lastLoss = packed[2] < 0 ? double.NaN : packed[2];
        (_inRound, _stalled, _rounds) = ((int)packed[3], (int)packed[4], (int)packed[5]);
        packed.AsSpan(StateScalars, _weights.Length).CopyTo(_weights);
        packed.AsSpan(StateScalars + _weights.Length, _best.Length).CopyTo(_best);
        _problem.SetWeights(_weights);
    }

    public SolverStep Iterate(Span<double> theta)
    {
        double before = double.IsNaN(_lastLoss) ? Largest(theta) : _lastLoss;
        if (_bestMax == double.PositiveInfinity) Keep(theta, Math.Sqrt(before));
        var step = _lm.Iterate(theta);
        double after = Largest(theta);
        if (Math.Sqrt(after) < _bestMax) Keep(theta, Math.Sqrt(after));
        bool settled = step.LossBefore - step.LossAfter <= RoundTolerance * step.LossBefore;
        if (step.Converged || settled || ++_inRound >= RoundIterations)
        {
            EndRound(theta);
            if (_stalled >= StallRounds)
            {
                _best.CopyTo(theta);
                return new SolverStep(before, _lastLoss = _bestMax * _bestMax, true, string.Create(CultureInfo.InvariantCulture,
                    $"the largest error fell by less than {Gain:g1} of itself for {_stalled} rounds of reweighting; the best parameters were kept"));
            }
        }
        return new SolverStep(before, _lastLoss = after);
    }

    void Keep(ReadOnlySpan<double> theta, double largest)
    {
        theta.CopyTo(_best);
        _bestMax = largest;
    }

    /// <summary>Reweights from the residuals where the round ended and restarts lm.</summary>
    void EndRound(ReadOnlySpan<double> theta)
    {
        _stalled = _bestMax < (1 - Gain) * _roundStart ? 0 : _stalled + 1;
        _roundStart = _bestMax;
        _problem.UnweightedResiduals(theta, _r);
        double sum = 0;
        for (int i = 0; i < _r.Length; i++) sum += _weights[i] *= Math.Abs(_r[i]);
        double mean = sum / _r.Length;
        if (!(mean > 0) || !double.IsFinite(mean)) Array.Fill(_weights, 1.0);
        else
            for (int i = 0; i < _weights.Length; i++) _weights[i] = Math.Max(_weights[i] / mean, WeightFloor);
        _problem.SetWeights(_weights);
        _lm.Restart();
        _inRound = 0;
        _rounds++;
    }

    /// <summary>The largest squared unweighted residual at θ.</summary>
    double Largest(ReadOnlySpan<double> theta)
    {
        _problem.UnweightedResiduals(theta, _r);
        double max = 0;
        foreach (double v in _r) max = Math.Max(max, double.IsFinite(v) ? v * v : double.PositiveInfinity);
        return max;
    }
}
