using System.Globalization;
using System.Numerics;

namespace NeuralFit.Training.Observers;

/// <summary>A divergence that training recovered from by going back to the last good state.</summary>
internal sealed record Rollback(int Step, int RestoredStep, string What, double RateScale);

/// <summary>
/// Watches for divergence: a loss or a parameter that stops being finite, or a loss that explodes to
/// <see cref="ExplosionFactor"/> times its first value. By default it stops training and puts back the best parameters
/// seen (else the last good ones), so the run ends with a usable model and says at which step it diverged. With
/// <paramref name="rollBack"/> (the configuration's onDivergence "rollback") it puts back the last good state (parameters,
/// optimizer or solver state, schedule), halves the learning rate and lets training go on, at most
/// <see cref="MaxRollbacks"/> times. It watches <paramref name="run"/>, whose state it copies and puts back.
/// </summary>
/// <remarks>
/// A good state is a candidate taken every <c>snapshotEvery</c> steps, when the weights are finite and the mean loss
/// since the previous candidate is within <see cref="HealthyFactor"/> of the lowest such mean (a state taken while
/// the loss climbs would only explode again, however small the rate). The next step's loss is the first measured on
/// the candidate's own parameters: only if it too is healthy does the candidate become the last good state.
/// </remarks>
internal sealed class DivergenceGuard<T>(IRestorableRun<T> run, int snapshotEvery, bool rollBack = false,
    BestModelKeeper<T>? best = null) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A loss this many times its first value (or 1, if larger) has exploded: no schedule or noise gets there.</summary>
    public const double ExplosionFactor = 1e6;

    /// <summary>Each rollback halves the rate; five halvings (1/32) that do not help mean the setup itself is wrong.</summary>
    public const int MaxRollbacks = 5;

    /// <summary>A loss this many times the lowest stretch mean so far is a climb, not noise.</summary>
    public const double HealthyFactor = 10;

    readonly List<Rollback> _rollbacks = [];
    SessionSnapshot<T>? _lastGood, _candidate;
    bool _candidatePending;
    double _stretchSum, _lowestMean = double.PositiveInfinity;
    int _stretchCount;

    public int? DivergedAt { get; private set; }
    /// <summary>True when a divergence rolls back to the last good state, false when it stops the run.</summary>
    public bool RollsBack => rollBack;
    public IReadOnlyList<Rollback> Rollbacks => _rollbacks;

    /// <summary>The first step's loss, the scale an explosion is measured against.</summary>
    public double FirstLoss { get; private set; } = double.NaN;

    /// <summary>The losses since the last candidate step, and the lowest mean of such a stretch so far.</summary>
    public (double Sum, int Count, double LowestMean) Stretch => (_stretchSum, _stretchCount, _lowestMean);

    /// <summary>The state the guard goes back to.</summary>
    public SessionSnapshot<T> LastGood => _lastGood ?? throw new InvalidOperationException("training has not started");

    /// <summary>A state taken at the last step, to become the last good one if the next step's loss is healthy.</summary>
    public SessionSnapshot<T>? PendingCandidate => _candidatePending ? _candidate : null;

    public void OnStart(IRunState<T> s)
    {
        _lastGood ??= new SessionSnapshot<T>(run, withOptimizer: rollBack);
        _candidate ??= new SessionSnapshot<T>(run, withOptimizer: rollBack);
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (double.IsNaN(FirstLoss) && double.IsFinite(loss)) FirstLoss = loss;
        if (_candidatePending)
        {
            _candidatePending = false;
            if (loss <= HealthyFactor * _lowestMean && loss <= Explosion) (_lastGood, _candidate) = (_candidate, _lastGood);
        }
        bool candidateStep = s.Step % snapshotEvery == 0;
        if (Problem(s, loss, candidateStep) is string what)
        {
            Diverge(s, what);
            (_stretchSum, _stretchCount) = (0, 0);
            return;
        }
        _stretchSum += loss;
        _stretchCount++;
        if (!candidateStep) return;
        double mean = _stretchSum / _stretchCount;
        (_stretchSum, _stretchCount) = (0, 0);
        _lowestMean = Math.Min(_lowestMean, mean);
        if (mean > HealthyFactor * _lowestMean) return;
        _candidate!.Take(run);
        _candidatePending = true;
    }

    public void OnEnd(IRunState<T> s)
    {
        if (DivergedAt is null && !BestModelKeeper<T>.AllFinite(s.Network.Parameters))
        {
            DivergedAt = s.Step;
            KeepBest(s);
            s.StopReason = StopReason.Diverged;
        }
    }

    /// <summary>Fills the guard from a checkpoint; <see cref="OnStart"/> then keeps it.</summary>
    public void Restore(double firstLoss, (double Sum, int Count, double LowestMean) stretch, IEnumerable<Rollback> rollbacks,
        Action<SessionSnapshot<T>> loadLastGood, Action<SessionSnapshot<T>>? loadCandidate)
    {
        FirstLoss = firstLoss;
        (_stretchSum, _stretchCount, _lowestMean) = stretch;
        _rollbacks.Clear();
        _rollbacks.AddRange(rollbacks);
        _lastGood = new SessionSnapshot<T>(run, withOptimizer: rollBack);
        _candidate = new SessionSnapshot<T>(run, withOptimizer: rollBack);
        loadLastGood(_lastGood);
        _candidatePending = loadCandidate is not null;
        loadCandidate?.Invoke(_candidate);
    }

    double Explosion => ExplosionFactor * Math.Max(FirstLoss, 1);

    string? Problem(IRunState<T> s, double loss, bool candidateStep)
    {
        if (double.IsNaN(loss)) return "the loss became NaN";
        if (double.IsInfinity(loss)) return "the loss became infinite";
        if (loss > Explosion) return string.Create(CultureInfo.InvariantCulture, $"the loss exploded to {loss:g3} (its first value was {FirstLoss:g3})");
        // Checking every weight costs a pass over them: done where a candidate is taken, so candidates are always finite.
        if (candidateStep && !BestModelKeeper<T>.AllFinite(s.Network.Parameters)) return "the weights stopped being finite";
        return null;
    }

    void Diverge(IRunState<T> s, string what)
    {
        _candidatePending = false;
        if (rollBack && _rollbacks.Count < MaxRollbacks)
        {
            LastGood.RestoreInto(run);
            run.ScaleLearningRate(0.5);
            // Every rollback halves the rate, so after k of them it is 2⁻ᵏ times the schedule's (exact in binary).
            _rollbacks.Add(new Rollback(s.Step, LastGood.Step, what, Math.Pow(0.5, _rollbacks.Count + 1)));
            return;
        }
        DivergedAt = s.Step;
        string kept = KeepBest(s);
        string tried = _rollbacks.Count > 0 ? $" after {_rollbacks.Count} rollbacks" : "";
        s.RequestStop(StopReason.Diverged, $"{what} at step {s.Step}{tried}; {kept} were kept");
    }

    /// <summary>Puts back the best parameters seen, or the last good ones before the first best is known.</summary>
    string KeepBest(IRunState<T> s)
    {
        if (best?.Step is int step)
        {
            best.Parameters.CopyTo(s.Network.Parameters);
            return $"the weights of step {step} (the lowest loss)";
        }
        LastGood.Parameters.CopyTo(s.Network.Parameters, 0);
        return $"the weights of step {LastGood.Step}";
    }
}
