using System.Numerics;

namespace NeuralFit.Training.Observers;

/// <summary>
/// Stops training when the loss or a parameter stops being finite, and puts back the last parameters that were
/// finite, so the run ends with a usable model and says at which step it diverged.
/// </summary>
public sealed class DivergenceGuard<T>(int snapshotEvery) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    T[] _lastGood = [];
    int _lastGoodStep;

    public int? DivergedAt { get; private set; }

    public void OnStart(TrainingSession<T> s)
    {
        _lastGood = (T[])s.Network.Parameters.Clone();
        _lastGoodStep = s.Step;
    }

    public void AfterStep(TrainingSession<T> s, double loss)
    {
        bool finite = double.IsFinite(loss);
        if (finite && s.Step % snapshotEvery == 0) finite = AllFinite(s.Network.Parameters);
        if (!finite)
        {
            DivergedAt = s.Step;
            _lastGood.CopyTo(s.Network.Parameters, 0);
            s.RequestStop(StopReason.Diverged, $"the loss became {(double.IsNaN(loss) ? "NaN" : double.IsFinite(loss) ? "finite but the weights did not" : "infinite")} at step {s.Step}; the weights of step {_lastGoodStep} were kept");
            return;
        }
        if (s.Step % snapshotEvery == 0)
        {
            s.Network.Parameters.CopyTo(_lastGood, 0);
            _lastGoodStep = s.Step;
        }
    }

    public void OnEnd(TrainingSession<T> s)
    {
        if (DivergedAt is null && !AllFinite(s.Network.Parameters))
        {
            DivergedAt = s.Step;
            _lastGood.CopyTo(s.Network.Parameters, 0);
            s.StopReason = StopReason.Diverged;
        }
    }

    static bool AllFinite(ReadOnlySpan<T> values)
    {
        foreach (var v in values) if (!T.IsFinite(v)) return false;
        return true;
    }
}
