using NeuralFit.Training;

namespace NeuralFit.Tests.Training;

/// <summary>
/// Bytes a repeated piece of work allocates on the calling thread and on the step workers. The workers' count is
/// process-wide, and other test classes run beside this one and may use the workers for their own first (allocating)
/// steps, so a window can be charged for someone else's work: the least of a few windows is the work's own count.
/// Work that allocates on every call allocates in every window, so a leak still shows.
/// </summary>
static class StepAllocation
{
    public static (long Caller, long Workers) Least(Action work, int windows = 4)
    {
        long caller = long.MaxValue, workers = long.MaxValue;
        for (int w = 0; w < windows && (caller > 0 || workers > 0); w++)
        {
            long mine = GC.GetAllocatedBytesForCurrentThread(), theirs = StepWorkers.WorkerAllocatedBytes;
            work();
            caller = Math.Min(caller, GC.GetAllocatedBytesForCurrentThread() - mine);
            workers = Math.Min(workers, StepWorkers.WorkerAllocatedBytes - theirs);
        }
        return (caller, workers);
    }
}
