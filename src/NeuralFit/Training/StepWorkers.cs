using System.Diagnostics;

namespace NeuralFit.Training;

/// <summary>Work split into numbered items, run by <see cref="StepWorkers"/>.</summary>
public interface IParallelWork
{
    void Run(int item);
}

/// <summary>
/// A process-wide crew of background threads (one per extra core) for work inside a training step, where starting
/// tasks would cost more than the work and allocate. Item i goes to thread i mod threads, the caller being thread 0.
/// Between calls the workers spin briefly (steps follow each other within microseconds), then sleep. One caller
/// at a time: concurrent callers take turns, which keeps results right if several sessions share the process.
/// </summary>
public static class StepWorkers
{
    /// <summary>How long an idle worker spins before it sleeps: longer than a step's single-threaded parts.</summary>
    static readonly TimeSpan SpinBeforeSleep = TimeSpan.FromMicroseconds(300);

    static readonly object RunLock = new(), Gate = new();
    static Thread[]? _threads;
    static IParallelWork? _work;
    static int _items, _threadCount, _generation, _pending, _sleepers;
    static Exception? _failure;

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
            var crew = Crew();
            threads = Math.Min(threads, crew.Length + 1);
            _work = work;
            _items = items;
            _threadCount = threads;
            _failure = null;
            Volatile.Write(ref _pending, crew.Length);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (Gate) Monitor.PulseAll(Gate);
            for (int i = 0; i < items; i += threads) work.Run(i);
            var spin = new SpinWait();
            while (Volatile.Read(ref _pending) > 0) spin.SpinOnce(sleep1Threshold: -1);
            _work = null;
            if (_failure is { } e) throw new AggregateException("a step worker failed", e);
        }
    }

    static Thread[] Crew() => _threads ?? StartCrew();

    // Its own method: the lambda's closure is allocated on entry to the method that declares what it captures.
    static Thread[] StartCrew()
    {
        _threads = new Thread[Math.Max(1, Available - 1)];
        int generation = Volatile.Read(ref _generation); // read here: a worker that starts late must still see the first call
        for (int t = 0; t < _threads.Length; t++)
        {
            int index = t + 1;
            _threads[t] = new Thread(() => Work(index, generation)) { IsBackground = true, Name = $"NeuralFit step worker {index}" };
            _threads[t].Start();
        }
        return _threads;
    }

    static void Work(int index, int seen)
    {
        while (true)
        {
            long idleSince = Stopwatch.GetTimestamp();
            while (Volatile.Read(ref _generation) == seen)
            {
                if (Stopwatch.GetElapsedTime(idleSince) < SpinBeforeSleep) { Thread.SpinWait(30); continue; }
                lock (Gate)
                {
                    Interlocked.Increment(ref _sleepers);
                    while (Volatile.Read(ref _generation) == seen) Monitor.Wait(Gate);
                    Interlocked.Decrement(ref _sleepers);
                }
            }
            seen = Volatile.Read(ref _generation);
            long allocated = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                var work = _work!;
                int items = _items, threads = _threadCount;
                if (index < threads)
                    for (int i = index; i < items; i += threads) work.Run(i);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            Interlocked.Add(ref _workerAllocatedBytes, GC.GetAllocatedBytesForCurrentThread() - allocated);
            Interlocked.Decrement(ref _pending);
        }
    }
}
