using System.Numerics;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Training.Observers;

/// <summary>One point of the loss history.</summary>
/// <param name="Loss">Mean batch loss over the steps since the previous point (at step 0, the first batch's loss).</param>
/// <param name="EvaluationMse">MSE on the evaluation set at this step, in the user's units: the learning curve
/// where the fit is judged.</param>
public sealed record HistoryPoint(int Step, double Loss, double LearningRate, double? ValidationLoss = null, double? EvaluationMse = null);

/// <summary>Records the training loss every <c>interval</c> steps, with the learning rate, and feeds it to the schedule
/// (a whole-batch solver has none: its records' learning rate is NaN, written as null).</summary>
internal sealed class HistoryRecorder<T>(int interval, Func<double>? validationLoss = null, Func<double>? evaluationMse = null,
    Schedule? schedule = null) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly List<HistoryPoint> _points = [];
    double _sum;
    int _count;

    public IReadOnlyList<HistoryPoint> Points => _points;
    public int Interval => interval;

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (s.Step == 1) Record(s, 0, loss);
        _sum += loss;
        _count++;
        if (s.Step % interval == 0 || s.Step == s.TotalSteps) Flush(s);
    }

    public void OnEnd(IRunState<T> s)
    {
        if (_count > 0) Flush(s);
    }

    void Flush(IRunState<T> s)
    {
        double mean = _sum / _count;
        Record(s, s.Step, mean);
        schedule?.Observe(mean);
        (_sum, _count) = (0, 0);
    }

    void Record(IRunState<T> s, int step, double loss) =>
        _points.Add(new HistoryPoint(step, loss, schedule?.Rate(Math.Max(1, step)) ?? double.NaN, step > 0 ? validationLoss?.Invoke() : null,
            step > 0 ? evaluationMse?.Invoke() : null));

    public void Restore(IEnumerable<HistoryPoint> points) => _points.AddRange(points);

    /// <summary>Losses summed since the last record, not yet written: a checkpoint between records keeps them.</summary>
    public (double Sum, int Count) Pending => (_sum, _count);

    public void Restore(IEnumerable<HistoryPoint> points, (double Sum, int Count) pending)
    {
        _points.Clear();
        Restore(points);
        (_sum, _count) = pending;
    }
}
