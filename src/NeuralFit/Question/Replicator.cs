using NeuralFit.Diagnostics;
using NeuralFit.Fitting;

namespace NeuralFit.Question;

/// <summary>One run of one variant.</summary>
public sealed record ReplicaRun(ulong Seed, double Mse, double MaxAbsError, double WallSeconds, double OutputMean, double OutputStd,
    IReadOnlyList<string> ErrorCodes, IReadOnlyList<string> CauseChain);

/// <summary>A variant over several seeds, and whether its claim held.</summary>
public sealed record VariantSummary(Variant Variant, IReadOnlyList<ReplicaRun> Runs)
{
    public int Successes => Runs.Count(r => r.Mse <= QuestionVariants.SuccessMse);
    public int Collapses => Runs.Count(r => r.OutputStd < 0.01);
    public double MedianMse => Median(Runs.Select(r => r.Mse));
    public double MedianMaxAbsError => Median(Runs.Select(r => r.MaxAbsError));
    public double MedianWallSeconds => Median(Runs.Select(r => r.WallSeconds));

    /// <summary>The error-level finding seen in most runs (the earliest in the cause chain on ties); null when none.</summary>
    public string? DominantFinding => Runs.SelectMany(r => r.CauseChain.Where(r.ErrorCodes.Contains).Take(1).Concat(r.ErrorCodes.Take(1)).Distinct())
        .GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();

    public IReadOnlyDictionary<string, int> FindingCounts => Runs.SelectMany(r => r.ErrorCodes.Distinct())
        .GroupBy(c => c).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>"holds", "partly holds" or "does not hold", from the runs.</summary>
    public string Verdict
    {
        get
        {
            int agree = Variant.Expected switch
            {
                Expectation.Collapses => Collapses,
                Expectation.Fails => Runs.Count - Successes,
                _ => Successes,
            };
            return agree == Runs.Count ? "holds" : agree == 0 ? "does not hold" : "partly holds";
        }
    }

    /// <summary>What the replication shows, in a phrase.</summary>
    public string Observed => Variant.Expected == Expectation.Collapses
        ? $"collapsed to a constant on {Collapses}/{Runs.Count} seeds (output mean {Median(Runs.Select(r => r.OutputMean)):F2})"
        : $"grid MSE ≤ 1e-4 on {Successes}/{Runs.Count} seeds";

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}

/// <summary>Runs every variant over seeds 1..n, one run per core, and summarises each variant.</summary>
public static class Replicator
{
    /// <param name="onRun">Called with (variant index, seed, diagnosis) after each run, from the worker threads: for
    /// reports and verbose output, which need more of a run than its summary keeps.</param>
    public static IReadOnlyList<VariantSummary> Run(IReadOnlyList<Variant> variants, int seeds, Action<int, int>? progress = null,
        CancellationToken cancel = default, Action<int, ulong, DiagnosisResult>? onRun = null)
    {
        var jobs = variants.SelectMany((v, i) => Enumerable.Range(1, seeds).Select(s => (Variant: i, Seed: (ulong)s))).ToArray();
        var results = new ReplicaRun[jobs.Length];
        int done = 0;
        // Longest runs first, so the cores finish together.
        var order = Enumerable.Range(0, jobs.Length).OrderByDescending(j => Cost(variants[jobs[j].Variant])).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancel }, j =>
        {
            var (v, seed) = jobs[j];
            var d = Diagnoser.Run(variants[v].Config with { Seed = seed }, cancel: cancel);
            var e = d.Fit.Evaluation;
            results[j] = new ReplicaRun(seed, e.Mse, e.MaxAbsError, d.Fit.WallSeconds, e.OutputMean, e.OutputStd,
                d.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Code).ToList(),
                d.CauseChain.Select(c => c.Code).ToList());
            onRun?.Invoke(v, seed, d);
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Length);
        });
        return variants.Select((v, i) => new VariantSummary(v, jobs.Select((job, j) => (job, j)).Where(p => p.job.Variant == i).Select(p => results[p.j]).ToList())).ToList();
    }

    static double Cost(Variant v) => (double)v.Config.Steps * v.Config.BatchSize * v.Config.Layers.Sum();
}
