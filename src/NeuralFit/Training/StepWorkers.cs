using System.Diagnostics;

namespace NeuralFit.Training;

/// <summary>Work split into numbered items, run by <see cref="StepWorkers"/>.</summary>
internal interface IParallelWork
{
    void Run(int item);
}

/// <summary>
/// A process-wide crew of background threads (one per extra core) for work inside a training step, where starting
/// tasks would cost more than the work and allocate. The caller and the workers claim items one at a time from a
/// shared counter, so a worker that the OS has put aside (on a busy machine) costs nothing: the caller simply does
/// its items too. Which thread runs an item never changes what the item computes. Between calls the workers spin
/// briefly (steps follow each other within microseconds), then sleep. One caller at a time: concurrent callers
/// take turns.
/// </summary>
internal static class StepWorkers
{
    /// <summary>How long an idle worker spins before it sleeps: longer than a step's single-threaded parts.</summary>
    static readonly TimeSpan SpinBeforeSleep = TimeSpan.FromMicroseconds(300);

    static readonly object RunLock = new(), Gate = new();
    static Thread[]? _threads;
    static IParallelWork? _work;
    static int _items, _threadCount, _remaining, _sleepers;
    static Exception? _failure;

    /// <summary>The call's generation (high 32 bits) and the next unclaimed item (low 32 bits), changed together, so a
    /// worker that wakes late cannot claim an item of a call it did not see start.</summary>
    static long _state;

    static long _workerAllocatedBytes;

    /// <summary>Bytes the workers allocated while running work items, ever: the zero-allocation test reads it.</summary>
    public static long WorkerAllocatedBytes => Interlocked.Read(ref _workerAllocatedBytes);

    /// <summary>Threads a step can use here: the cores.</summary>
    public static int Available => Environment.ProcessorCount;

    /// <summary>Runs work.Run(0..items-1) on up to maxThreads threads (the caller included) and returns when all are done.</summary>
    public static void Run(IParallelWork work, int items, int maxThreads)
    {
        int threads = Math.Min(Math.Min(maxThreads, items), Available);
        if (threads <= 1)
        {
            for (int i = 0; i < items; i++) work.Run(i);
            return;
        }
        lock (RunLock)
        {
            Crew();
            _work = work;
            _items = items;
            _threadCount = threads;
            _failure = null;
            Volatile.Write(ref _remaining, items);
            long generation = (Volatile.Read(ref _state) >> 32) + 1;
            Interlocked.Exchange(ref _state, generation << 32); // publishes the fields above
            if (Volatile.Read(ref _sleepers) > 0)
                lock (Gate) Monitor.PulseAll(Gate);
            RunItems(generation);
            var spin = new SpinWait();
            while (Volatile.Read(ref _remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            if (_failure is { } e) throw new AggregateException("a step worker failed", e);
        }
    }

    /// <summary>Claims and runs items of this generation until none is left.</summary>
    static void RunItems(long generation)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            if (state >> 32 != generation || (int)(state & 0xFFFF_FFFF) >= _items) return;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state) continue;
            try
            {
                _work!.Run((int)(state & 0xFFFF_FFFF)); // claimed, so the call is still running and _work is its work
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Decrement(ref _remaining);
        }
    }

    static Thread[] Crew() => _threads ?? StartCrew();

    // Its own method: the lambda's closure is allocated on entry to the method that declares what it captures.
    static Thread[] StartCrew()
    {
        _threads = new Thread[Math.Max(1, Available - 1)];
        long generation = Volatile.Read(ref _state) >> 32; // read here: a worker that starts late must still see the first call
        for (int t = 0; t < _threads.Length; t++)
        {
            int index = t + 1;
            _threads[t] = new Thread(() => Work(index, generation)) { IsBackground = true, Name = $"NeuralFit step worker {index}" };
            _threads[t].Start();
        }
        return _threads;
    }

    static void Work(int index, long seen)
    {
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _state) >> 32 == seen)
            {
                if (Stopwatch.GetElapsedTime(idleSince) < SpinBeforeSleep) { Thread.SpinWait(30); continue; }
                lock (Gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _state) >> 32 == seen) Monitor.Wait(Gate);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            seen = Volatile.Read(ref _state) >> 32;
            if (index >= Volatile.Read(ref _threadCount)) continue; // this call wants fewer threads
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            RunItems(seen);
            Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
        }
    }
}
