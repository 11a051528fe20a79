using NeuralFit.Fitting;

namespace NeuralFit.Sweeps;

/// <summary>One finished run of a sweep.</summary>
internal sealed record SweepRun(SweepPoint Point, FitResult Result);

/// <summary>
/// Runs every point of a sweep, one run per core (each run single-threaded, so runs never compete for a core),
/// longest first so the cores finish together; results come back in the order of the spec's points (grid order).
/// </summary>
internal static class Sweeper
{
    public static IReadOnlyList<SweepRun> Run(SweepSpec spec, Action<int, int>? progress = null, int? cores = null, CancellationToken cancel = default)
    {
        var points = spec.Points;
        var results = new SweepRun[points.Count];
        int done = 0;
        var order = Enumerable.Range(0, points.Count)
            .OrderByDescending(i => (double)points[i].Config.Steps * points[i].Config.BatchSize * Math.Max(1, points[i].Config.Layers.Sum())).ToArray();
        var options = new ParallelOptions { MaxDegreeOfParallelism = cores ?? Environment.ProcessorCount, CancellationToken = cancel };
        try
        {
            Parallel.ForEach(order, options, i =>
            {
                results[i] = new SweepRun(points[i], FitRunner.Run(points[i].Config, cancel: cancel));
                progress?.Invoke(Interlocked.Increment(ref done), points.Count);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.OfType<InputError>().FirstOrDefault() is { } bad)
        {
            throw new InputError(bad.Message); // a bad run input is the user's to fix: one line, not a stack of them
        }
        return results;
    }

    /// <summary>The run with the lowest grid MSE (finite), or null.</summary>
    public static SweepRun? Best(IReadOnlyList<SweepRun> runs) =>
        runs.Where(r => double.IsFinite(r.Result.Evaluation.Mse)).MinBy(r => r.Result.Evaluation.Mse);
}
