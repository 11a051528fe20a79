using System.Diagnostics;
using System.Numerics;
using NeuralFit.Training;

namespace NeuralFit.Training.Observers;

/// <summary>Where a run is: for progress bars and plain progress lines.</summary>
public sealed record TrainingProgress(int Step, int TotalSteps, double Loss, double StepsPerSecond, TimeSpan Elapsed)
{
    /// <summary>Which stage of a fit that grows or compares candidates is training, e.g. "stage 2: 4-16-16-1 on 4,000 points"; null for a single run.</summary>
    public string? Stage { get; init; }
}

/// <summary>Reports progress at most every <c>period</c>, checking the clock only every 64 steps.</summary>
internal sealed class ProgressObserver<T>(Action<TrainingProgress> sink, TimeSpan period) : ITrainingObserver<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Stopwatch _clock = new();
    TimeSpan _last;
    int _startStep;
    double _loss = double.NaN;

    public void OnStart(IRunState<T> s)
    {
        _startStep = s.Step;
        _clock.Start();
    }

    public void AfterStep(IRunState<T> s, double loss)
    {
        _loss = double.IsNaN(_loss) ? loss : 0.9 * _loss + 0.1 * loss;
        if ((s.Step & 63) != 0) return;
        var now = _clock.Elapsed;
        if (now - _last < period) return;
        _last = now;
        Report(s);
    }

    public void OnEnd(IRunState<T> s) => Report(s);

    void Report(IRunState<T> s)
    {
        var elapsed = _clock.Elapsed;
        sink(new TrainingProgress(s.Step, s.TotalSteps, _loss, (s.Step - _startStep) / Math.Max(1e-9, elapsed.TotalSeconds), elapsed));
    }
}
