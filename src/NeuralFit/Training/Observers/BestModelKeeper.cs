using System.Numerics;

namespace NeuralFit.Training.Observers;

/// <summary>
/// Keeps a copy of the parameters with the lowest loss seen at a history record (the validation loss when there is
/// one, else the mean training loss since the previous record), so a run that diverges, or is interrupted, can
/// still hand over its best model. Must follow the <see cref="HistoryRecorder{T}"/> in the observer list.
/// </summary>
public sealed class BestModelKeeper<T>(HistoryRecorder<T> history) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T[] _parameters = [];
    int _pointsSeen;

    /// <summary>The step of the copy, or null before the first history record.</summary>
    public int? Step { get; private set; }
    public double Loss { get; private set; } = double.PositiveInfinity;
    public ReadOnlySpan<T> Parameters => _parameters;

    /// <summary>Grows each time a better copy replaces the last: writers compare it to know what is new.</summary>
    public int Version { get; private set; }

    public void OnStart(TrainingSession<T> s)
    {
        if (_parameters.Length == 0) _parameters = new T[s.Network.Parameters.Length];
        _pointsSeen = history.Points.Count;
    }

    public void AfterStep(TrainingSession<T> s, double loss)
    {
        if (history.Points.Count == _pointsSeen) return;
        _pointsSeen = history.Points.Count;
        var point = history.Points[^1];
        double measured = point.ValidationLoss ?? point.Loss;
        // The record at step 0 holds the first batch's loss, measured before the first update: not these parameters'.
        if (point.Step != s.Step || !(measured < Loss) || !AllFinite(s.Network.Parameters)) return;
        s.Network.Parameters.CopyTo(_parameters, 0);
        (Step, Loss) = (s.Step, measured);
        Version++;
    }

    /// <summary>Fills the keeper from a checkpoint; the caller has checked the length.</summary>
    public void Restore(int step, double loss, ReadOnlySpan<double> parameters)
    {
        _parameters = new T[parameters.Length];
        SessionSnapshot<T>.Fill(_parameters, parameters);
        (Step, Loss) = (step, loss);
    }

    internal static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var v in values) if (!T.IsFinite(v)) return false;
        return true;
    }
}
