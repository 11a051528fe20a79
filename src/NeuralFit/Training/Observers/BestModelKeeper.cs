using System.Numerics;

namespace NeuralFit.Training.Observers;

/// <summary>
/// Keeps a copy of the parameters with the lowest loss seen at a history record (the validation loss when there is
/// one, else the mean training loss since the previous record), so that a run that diverges, or is interrupted, can
/// still hand over its best model. A record's loss was measured before the record's last update, so the copy is a
/// candidate until the next step's loss, the first measured on its own parameters, confirms it is no worse than
/// <see cref="DivergenceGuard{T}.HealthyFactor"/> times the record. Must follow the <see cref="HistoryRecorder{T}"/>
/// in the observer list.
/// </summary>
internal sealed class BestModelKeeper<T>(HistoryRecorder<T> history) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T[] _parameters = [], _candidate = [];
    int _pointsSeen;

    /// <summary>The step of the copy, or null before the first record is confirmed.</summary>
    public int? Step { get; private set; }
    public double Loss { get; private set; } = double.PositiveInfinity;
    public ReadOnlySpan<T> Parameters => _parameters;

    /// <summary>The step and loss of a copy awaiting the next step's confirmation, if any.</summary>
    public (int Step, double Loss)? Candidate { get; private set; }
    public ReadOnlySpan<T> CandidateParameters => _candidate;

    /// <summary>Grows each time a better copy replaces the last: writers compare it to know what is new.</summary>
    public int Version { get; private set; }

    public void OnStart(IRunState<T> s)
    {
        if (_parameters.Length == 0) _parameters = new T[s.Network.Parameters.Length];
        if (_candidate.Length == 0) _candidate = new T[s.Network.Parameters.Length];
        _pointsSeen = history.Points.Count;
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (Candidate is var (step, recorded))
        {
            Candidate = null;
            if (loss <= DivergenceGuard<T>.HealthyFactor * recorded && recorded < Loss)
            {
                (_parameters, _candidate) = (_candidate, _parameters);
                (Step, Loss) = (step, recorded);
                Version++;
            }
        }
        if (history.Points.Count == _pointsSeen) return;
        _pointsSeen = history.Points.Count;
        var point = history.Points[^1];
        double measured = point.ValidationLoss ?? point.Loss;
        // The record at step 0 holds the first batch's loss, measured before the first update: not these parameters'.
        if (point.Step != s.Step || !(measured < Loss) || !AllFinite(s.Network.Parameters)) return;
        s.Network.Parameters.CopyTo(_candidate, 0);
        Candidate = (s.Step, measured);
    }

    /// <summary>Fills the keeper from a checkpoint; the caller has checked the lengths.</summary>
    public void Restore((int Step, double Loss, double[] Parameters)? best, (int Step, double Loss, double[] Parameters)? candidate, int parameterCount)
    {
        _parameters = new T[parameterCount];
        _candidate = new T[parameterCount];
        if (best is var (step, loss, parameters))
        {
            SessionSnapshot<T>.Fill(_parameters, parameters);
            (Step, Loss) = (step, loss);
        }
        if (candidate is var (candidateStep, candidateLoss, candidateParameters))
        {
            SessionSnapshot<T>.Fill(_candidate, candidateParameters);
            Candidate = (candidateStep, candidateLoss);
        }
    }

    internal static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var v in values) if (!T.IsFinite(v)) return false;
        return true;
    }
}
