using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics.Probes;
using NeuralFit.Fitting;

namespace NeuralFit.Diagnostics;

/// <summary>A run with probes attached, its trace, what went wrong, and in what order.</summary>
public sealed record DiagnosisResult(FitResult Fit, RunTrace Trace, IReadOnlyList<Finding> Findings, IReadOnlyList<CauseStep> CauseChain)
{
    /// <summary>The fit's verdict; after a diagnosis, a missed goal's next step is the doctor, which replays the fixes.</summary>
    public Verdict Verdict => Fit.Verdict is { Fitted: false } v ? v with { Next = CommandLine.For("doctor", Fit.Config) } : Fit.Verdict;
}

/// <summary>Trains with probes attached, then runs the checks and builds the cause chain.</summary>
public static class Diagnoser
{
    public static DiagnosisResult Run(RunConfig config, FitHooks? hooks = null, CancellationToken cancel = default)
    {
        var probes = new ProbeExtension();
        hooks ??= new FitHooks();
        var fit = FitRunner.Run(config, hooks with { Extensions = [.. hooks.Extensions, probes], Grow = hooks.Grow ?? false }, cancel);
        var trace = new RunTrace(fit.Config, fit, probes.Snapshots, probes.DeadSince, probes.Data!);
        var findings = Diagnosis.Findings(trace);
        return new DiagnosisResult(fit, trace, findings, CauseChain.Build(findings));
    }

    sealed class ProbeExtension : IRunExtension
    {
        Func<IReadOnlyList<ProbeSnapshot>> _snapshots = () => [];
        Func<int?[][]> _deadSince = () => [];

        public IReadOnlyList<ProbeSnapshot> Snapshots => _snapshots();
        public int?[][] DeadSince => _deadSince();
        public DataFacts? Data { get; private set; }

        public void Attach<T>(RunContext<T> context) where T : unmanaged, IFloatingPointIeee754<T>
        {
            Data = DataFacts.Measure(context.Problem);
            var recorder = new ProbeRecorder<T>(ProbeSet.For(context.Problem), context.Problem.Normalization,
                ProbeSchedule.Steps(context.Config.Steps, context.Config.DisplayStep));
            context.Observers.Add(recorder);
            _snapshots = () => recorder.Snapshots;
            _deadSince = () => recorder.DeadSince;
        }
    }
}
