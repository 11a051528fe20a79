using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using NeuralFit.Configuration;

namespace NeuralFit.Training.Observers;

/// <summary>Stops training cleanly once it has run for the allowed wall time; the model so far is kept.</summary>
internal sealed class TimeLimit<T>(double seconds) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    long _start;

    public void OnStart(IRunState<T> s) => _start = Stopwatch.GetTimestamp();

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (Stopwatch.GetElapsedTime(_start).TotalSeconds < seconds) return;
        s.RequestStop(StopReason.TimeLimit, string.Create(CultureInfo.InvariantCulture,
            $"the time limit of {seconds:g4} s was reached after step {s.Step:N0} of {s.TotalSteps:N0}; the model so far was kept"));
    }
}

/// <summary>
/// Stops training cleanly when the managed heap grows past the allowed size: the up-front estimate refuses runs that
/// would not fit, and this catches what the estimate missed. Looks every <see cref="Period"/> steps; when the quick
/// reading is over the limit, a full collection confirms it, so garbage alone never stops a run.
/// </summary>
internal sealed class MemoryLimit<T>(long bytes) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public const int Period = 256;

    public void AfterStep(IRunState<T> s, double loss)
    {
        if (s.Step % Period != 0 || GC.GetTotalMemory(forceFullCollection: false) <= bytes) return;
        long live = GC.GetTotalMemory(forceFullCollection: true);
        if (live <= bytes) return;
        s.RequestStop(StopReason.MemoryLimit,
            $"the heap grew to {ByteSize.Format(live)}, past the limit of {ByteSize.Format(bytes)}, at step {s.Step:N0}; the model so far was kept");
    }
}
