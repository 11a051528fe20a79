using System.Numerics;

namespace NeuralFit.Training;

/// <summary>
/// A copy of what a run's steps change: the parameters and, when asked for, the state beside them (an optimizer's
/// state vectors and step count and the schedule's state; a solver's state). Divergence rollback refills one at every
/// good history record and puts it back when training blows up. The buffers are allocated once, so refilling
/// allocates nothing.
/// </summary>
internal sealed class SessionSnapshot<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public SessionSnapshot(IRestorableRun<T> s, bool withOptimizer)
    {
        Parameters = new T[s.Network.Parameters.Length];
        OptimizerVectors = withOptimizer ? s.StateVectors.Select(v => new T[v.Length]).ToArray() : [];
        WithOptimizer = withOptimizer;
        Take(s);
    }

    public bool WithOptimizer { get; }

    /// <summary>The step the copy was taken after.</summary>
    public int Step { get; private set; }

    public T[] Parameters { get; }

    /// <summary>Copies of the run's state vectors (<see cref="IRestorableRun{T}.StateVectors"/>), in its order; empty without them.</summary>
    public T[][] OptimizerVectors { get; }

    public long OptimizerSteps { get; private set; }

    /// <summary>The schedule's state, for a run that has a schedule.</summary>
    public (double PlateauFactor, double Best, int SinceBest)? ScheduleState { get; private set; }

    public void Take(IRestorableRun<T> s)
    {
        Step = s.Step;
        s.Network.Parameters.CopyTo(Parameters, 0);
        if (!WithOptimizer) return;
        for (int i = 0; i < OptimizerVectors.Length; i++) s.StateVectors[i].CopyTo(OptimizerVectors[i], 0);
        OptimizerSteps = s.StateSteps;
        ScheduleState = s.Schedule?.State;
    }

    /// <summary>Puts the copy back into the run; its step count goes on (the steps spent are not undone).</summary>
    public void RestoreInto(IRestorableRun<T> s)
    {
        Parameters.CopyTo(s.Network.Parameters, 0);
        if (!WithOptimizer) return;
        for (int i = 0; i < OptimizerVectors.Length; i++) OptimizerVectors[i].CopyTo(s.StateVectors[i], 0);
        s.StateRestored(OptimizerSteps);
        if (ScheduleState is { } schedule) s.Schedule?.Restore(schedule);
    }

    /// <summary>Fills the copy from a checkpoint; the caller has checked the lengths.</summary>
    public void Load(int step, ReadOnlySpan<double> parameters, IReadOnlyList<double[]> optimizerVectors, long optimizerSteps,
        (double, double, int)? scheduleState)
    {
        Step = step;
        Fill(Parameters, parameters);
        for (int i = 0; i < OptimizerVectors.Length; i++) Fill(OptimizerVectors[i], optimizerVectors[i]);
        OptimizerSteps = optimizerSteps;
        ScheduleState = scheduleState;
    }

    internal static void Fill(Span<T> target, ReadOnlySpan<double> values)
    {
        for (int i = 0; i < target.Length; i++) target[i] = T.CreateTruncating(values[i]);
    }
}
