using System.Globalization;
using System.Numerics;
using NeuralFit.Configuration;

namespace NeuralFit.Training.Observers;

/// <summary>A divergence that training recovered from by going back to the last good state.</summary>
public sealed record Rollback(int Step, int RestoredStep, string What, double RateScale);

/// <summary>
/// Watches for divergence: a loss or a parameter that stops being finite, or a loss that explodes to
/// <see cref="ExplosionFactor"/> times its first value. With <see cref="DivergencePolicy.Stop"/> it stops training and
/// puts back the best parameters seen (else the last finite ones), so the run ends with a usable model and says at
/// which step it diverged. With <see cref="DivergencePolicy.Rollback"/> it puts back the last good state (parameters,
/// optimizer, schedule), halves the learning rate and lets training go on, at most <see cref="MaxRollbacks"/> times.
/// </summary>
public sealed class DivergenceGuard<T>(int snapshotEvery, DivergencePolicy policy = DivergencePolicy.Stop, BestModelKeeper<T>? best = null)
    : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>A loss this many times its first value (or 1, if larger) has exploded: no schedule or noise gets there.</summary>
    public const double ExplosionFactor = 1e6;

    /// <summary>Each rollback halves the rate; five halvings (1/32) that do not help mean the setup itself is wrong.</summary>
    public const int MaxRollbacks = 5;

    readonly List<Rollback> _rollbacks = [];
    SessionSnapshot<T>? _lastGood;

    public int? DivergedAt { get; private set; }
    public DivergencePolicy Policy => policy;
    public IReadOnlyList<Rollback> Rollbacks => _rollbacks;

    /// <summary>The first step's loss, the scale an explosion is measured against.</summary>
    public double FirstLoss { get; private set; } = double.NaN;

    /// <summary>The state the guard goes back to; taken at every good history record.</summary>
    public SessionSnapshot<T> LastGood => _lastGood ?? throw new InvalidOperationException("training has not started");

    public void OnStart(TrainingSession<T> s) => _lastGood ??= new SessionSnapshot<T>(s, withOptimizer: policy == DivergencePolicy.Rollback);

    public void AfterStep(TrainingSession<T> s, double loss)
    {
        if (double.IsNaN(FirstLoss) && double.IsFinite(loss)) FirstLoss = loss;
        bool snapshotStep = s.Step % snapshotEvery == 0;
        string? what = Problem(s, loss, snapshotStep);
        if (what is not null) Diverge(s, what);
        else if (snapshotStep) LastGood.Take(s);
    }

    public void OnEnd(TrainingSession<T> s)
    {
        if (DivergedAt is null && !BestModelKeeper<T>.AllFinite(s.Network.Parameters))
        {
            DivergedAt = s.Step;
            KeepBest(s);
            s.StopReason = StopReason.Diverged;
        }
    }

    /// <summary>Fills the guard from a checkpoint; <see cref="OnStart"/> then keeps it.</summary>
    public void Restore(TrainingSession<T> s, double firstLoss, IEnumerable<Rollback> rollbacks, Action<SessionSnapshot<T>> loadLastGood)
    {
        FirstLoss = firstLoss;
        _rollbacks.Clear();
        _rollbacks.AddRange(rollbacks);
        _lastGood = new SessionSnapshot<T>(s, withOptimizer: policy == DivergencePolicy.Rollback);
        loadLastGood(_lastGood);
    }

    string? Problem(TrainingSession<T> s, double loss, bool snapshotStep)
    {
        if (double.IsNaN(loss)) return "the loss became NaN";
        if (double.IsInfinity(loss)) return "the loss became infinite";
        if (loss > ExplosionFactor * Math.Max(FirstLoss, 1))
            return string.Create(CultureInfo.InvariantCulture, $"the loss exploded to {loss:G3} (its first value was {FirstLoss:G3})");
        // Checking every weight costs a pass over them: done where a snapshot is taken, so a snapshot is always finite.
        if (snapshotStep && !BestModelKeeper<T>.AllFinite(s.Network.Parameters)) return "the weights stopped being finite";
        return null;
    }

    void Diverge(TrainingSession<T> s, string what)
    {
        if (policy == DivergencePolicy.Rollback && _rollbacks.Count < MaxRollbacks)
        {
            LastGood.RestoreInto(s);
            s.Schedule.RateScale *= 0.5;
            _rollbacks.Add(new Rollback(s.Step, LastGood.Step, what, s.Schedule.RateScale));
            return;
        }
        DivergedAt = s.Step;
        string kept = KeepBest(s);
        string tried = _rollbacks.Count > 0 ? $" after {_rollbacks.Count} rollbacks" : "";
        s.RequestStop(StopReason.Diverged, $"{what} at step {s.Step}{tried}; {kept} were kept");
    }

    /// <summary>Puts back the best parameters seen, or the last finite ones before any history record.</summary>
    string KeepBest(TrainingSession<T> s)
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
