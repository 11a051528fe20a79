using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Sampling;
using NeuralFit.Training.Observers;

namespace NeuralFit.Question;

/// <summary>One run of one variant: its numbers, what the diagnosis reported, and what a report draws of it (the
/// network's curve on <see cref="Replicator.CurveGrid"/> and the loss history).</summary>
internal sealed record ReplicaRun(ulong Seed, double Mse, double MaxAbsError, double R2, double WallSeconds, double OutputMean, double OutputStd,
    IReadOnlyList<string> ErrorCodes, IReadOnlyList<string> CauseChain)
{
    /// <summary>Finding codes reported at warning or error.</summary>
    public IReadOnlyList<string> Codes { get; init; } = [];
    public double[] Curve { get; init; } = [];
    public IReadOnlyList<HistoryPoint> History { get; init; } = [];
}

/// <summary>A variant over several seeds, and whether its claim held, by its own criteria and by the common bar.</summary>
internal sealed record VariantSummary(Variant Variant, IReadOnlyList<ReplicaRun> Runs)
{
    public int Successes => Runs.Count(r => r.Mse <= QuestionVariants.SuccessMse);
    public int Collapses => Runs.Count(r => r.OutputStd < 0.01);
    public double MedianMse => Median(Runs.Select(r => r.Mse));
    public double MedianR2 => Median(Runs.Select(r => r.R2));
    public double MedianMaxAbsError => Median(Runs.Select(r => r.MaxAbsError));
    public double MedianWallSeconds => Median(Runs.Select(r => r.WallSeconds));

    /// <summary>The error-level finding seen in most runs (the earliest in the cause chain on ties); null when none.</summary>
    public string? DominantFinding => Runs.SelectMany(r => r.CauseChain.Where(r.ErrorCodes.Contains).Take(1).Concat(r.ErrorCodes.Take(1)).Distinct())
        .GroupBy(c => c).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();

    public IReadOnlyDictionary<string, int> FindingCounts => Runs.SelectMany(r => r.ErrorCodes.Distinct())
        .GroupBy(c => c).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Runs that meet every criterion of the claim's own words.</summary>
    public int HeldByOwnTest => Runs.Count(r => Variant.Criteria.All(c => c.Holds(r)));

    /// <summary>Runs that agree with the claim at the common bar (grid MSE ≤ 1e-4): they fit when the claim promises
    /// success, they miss it when the claim says it fails.</summary>
    public int HeldAtBar => Variant.Positive ? Successes : Runs.Count - Successes;

    /// <summary>
    /// "holds" when every run meets the claim's own criteria and agrees at the common bar; "does not hold" when no run
    /// meets them; "holds in part" otherwise: on some seeds only, or by its own words but not at the bar.
    /// </summary>
    public string Verdict =>
        Runs.Count == 0 ? "not run" : HeldByOwnTest == 0 ? "does not hold" : HeldByOwnTest == Runs.Count && HeldAtBar == Runs.Count ? "holds" : "holds in part";

    /// <summary>What the runs showed, by the claim's own test and, where that reads differently, at the common bar.</summary>
    public string Observed
    {
        get
        {
            int n = Runs.Count;
            string own = $"{HeldByOwnTest}/{n} seeds meet its test ({Variant.Test}; {Medians()})";
            return HeldAtBar == HeldByOwnTest ? own : $"{own}, {Successes}/{n} reach grid MSE ≤ {QuestionVariants.SuccessMse:0e+0}";
        }
    }

    string Medians() => Variant.Criteria.Any(c => c == Criterion.AnswersMinusOne)
        ? $"output mean {Median(Runs.Select(r => r.OutputMean)):F2}"
        : $"median MSE {Evidence.N(MedianMse)}, R² {Evidence.N(MedianR2)}";

    static double Median(IEnumerable<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length == 0 ? double.NaN : v.Length % 2 == 1 ? v[v.Length / 2] : 0.5 * (v[v.Length / 2 - 1] + v[v.Length / 2]);
    }
}

/// <summary>
/// Runs every variant over seeds 1..n, one run per core, and summarises each variant. Every finished run goes to the
/// journal as it finishes, and runs found there are not trained again; a signal stops the runs in progress, and the
/// summaries then hold the runs that finished.
/// </summary>
internal static class Replicator
{
    /// <summary>Points of the curve a report draws of each run.</summary>
    public const int CurvePoints = 300;

    /// <param name="onRun">Called with (variant index, run, read back from the journal) after each run, from the worker threads.</param>
    public static IReadOnlyList<VariantSummary> Run(IReadOnlyList<Variant> variants, int seeds, Action<int, int>? progress = null,
        CancellationToken cancel = default, Action<int, ReplicaRun, bool>? onRun = null, IRunJournal<ReplicaRun>? journal = null)
    {
        var jobs = variants.SelectMany((v, i) => Enumerable.Range(1, seeds).Select(s => (Variant: i, Seed: (ulong)s))).ToArray();
        var results = new ReplicaRun?[jobs.Length];
        int done = 0;
        // Longest runs first, so the cores finish together.
        var order = Enumerable.Range(0, jobs.Length).OrderByDescending(j => Cost(variants[jobs[j].Variant])).ToArray();
        Parallel.ForEach(order, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, j =>
        {
            if (cancel.IsCancellationRequested) return;
            var (v, seed) = jobs[j];
            var config = variants[v].Config with { Seed = seed };
            string key = RunKey.Of(config);
            ReplicaRun? run = null;
            bool recalled = false;
            if (journal is not null && journal.TryRecall(key, out var kept)) (run, recalled) = (kept, true);
            run ??= Replicate(config, cancel);
            if (run is null) return;
            if (!recalled) journal?.Keep(key, run);
            results[j] = run;
            onRun?.Invoke(v, run, recalled);
            progress?.Invoke(Interlocked.Increment(ref done), jobs.Length);
        });
        return variants.Select((v, i) => new VariantSummary(v, jobs.Select((job, j) => (job, j))
            .Where(p => p.job.Variant == i && results[p.j] is not null).Select(p => results[p.j]!).ToList())).ToList();
    }

    /// <summary>The points of the evaluation range a report draws each run's curve at.</summary>
    public static double[] CurveGrid(RunConfig c) => PointSets.Grid(c.EffectiveEvalDomain, CurvePoints);

    /// <summary>One run, diagnosed and summarised; null when a signal stopped it.</summary>
    static ReplicaRun? Replicate(RunConfig config, CancellationToken cancel)
    {
        var d = Diagnoser.Run(config, cancel: cancel);
        if (d.Fit.StopReason == Training.StopReason.Cancelled) return null;
        var e = d.Fit.Evaluation;
        return new ReplicaRun(config.Seed, e.Mse, e.MaxAbsError, e.R2, d.Fit.WallSeconds, e.OutputMean, e.OutputStd,
            d.Findings.Where(f => f.Severity == Severity.Error).Select(f => f.Code).ToList(),
            d.CauseChain.Select(c => c.Code).ToList())
        {
            Codes = d.Findings.Where(f => f.Severity >= Severity.Warning).Select(f => f.Code).Distinct().ToList(),
            Curve = d.Fit.Config.InputCount == 1 ? d.Fit.Model.Predict(CurveGrid(d.Fit.Config).AsSpan()) : [],
            History = d.Fit.History,
        };
    }

    static double Cost(Variant v) => (double)v.Config.Steps * v.Config.BatchSize * v.Config.Layers.Sum();
}
