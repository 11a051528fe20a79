using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics.Probes;
using NeuralFit.Fitting;

namespace NeuralFit.Diagnostics;

/// <summary>A run with probes attached, its trace, what went wrong, and in what order.</summary>
public sealed record DiagnosisResult
{
    internal DiagnosisResult(FitResult fit, RunTrace trace, IReadOnlyList<Finding> findings, IReadOnlyList<CauseStep> causeChain) =>
        (Fit, Trace, Findings, CauseChain) = (fit, trace, findings, causeChain);

    /// <summary>The fit that was traced: its metrics, verdict and history.</summary>
    public FitResult Fit { get; init; }

    /// <summary>What the probes recorded during the run (the evidence behind the findings).</summary>
    internal RunTrace Trace { get; init; }

    /// <summary>What went wrong, with evidence and fixes (each a patch of the options, in their JSON names).</summary>
    public IReadOnlyList<Finding> Findings { get; init; }

    /// <summary>The findings that explain the failure, cause first.</summary>
    public IReadOnlyList<CauseStep> CauseChain { get; init; }

    /// <summary>The fit's verdict; after a diagnosis, a missed goal's next step is the doctor, which replays the fixes.</summary>
    public Verdict Verdict => Fit.Verdict is { Fitted: false } v ? v with { Next = CommandLine.For("doctor", Fit.Config) } : Fit.Verdict;
}

/// <summary>Trains with probes attached, then runs the checks and builds the cause chain.</summary>
internal static class Diagnoser
{
    /// <summary>
    /// The probes and checks judge one output (its collapse, its targets' scale, its noise), so a run of several outputs
    /// is refused with the command that diagnoses the first on its own.
    /// </summary>
    public static void RefuseSeveralOutputs(RunConfig config, string command)
    {
        if (config.OutputCount <= 1) return;
        throw new InputError($"{command} works on one output; this run has {config.OutputCount} ({Fitting.Verdict.OutputList(config)}): " +
                             $"{command} one at a time, e.g. {Fitting.Verdict.FirstOutputOnly(config, command)}");
    }

    /// <summary>A diagnosed fit of what <paramref name="options"/> describe, NeuralFit choosing every setting they leave null.</summary>
    public static DiagnosisResult Run(FitOptions options, FitHooks? hooks = null, CancellationToken cancel = default) =>
        Run(RunConfig.From(ConfigReader.Check(options)), hooks, cancel);

    public static DiagnosisResult Run(RunConfig config, FitHooks? hooks = null, CancellationToken cancel = default)
    {
        RefuseSeveralOutputs(config, "diagnose");
        var probes = new ProbeExtension();
        hooks ??= new FitHooks();
        var fit = FitRunner.Run(config, hooks with { Extensions = [.. hooks.Extensions, probes], Grow = hooks.Grow ?? false }, cancel);
        var trace = new RunTrace(fit.Config, fit, probes.Snapshots, probes.DeadSince, probes.Data!)
        {
            Target = probes.Target,
            Errors = SplitErrors.Measure(probes.Problem!, fit.Model, probes.Restored(), probes.BestValidationStep()),
        };
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
        public TargetDetail? Target { get; private set; }
        public Problem? Problem { get; private set; }
        public Func<bool> Restored { get; private set; } = () => false;
        public Func<int?> BestValidationStep { get; private set; } = () => null;

        public void Attach<T>(RunContext<T> context) where T : unmanaged, IFloatingPointIeee754<T>
        {
            var problem = context.Problem;
            Problem = problem;
            Data = DataFacts.Measure(problem);
            if (!problem.IsDataset)
                Target = TargetDetail.Measure(problem.Function, context.Config.EffectiveEvalDomain, Data.EvaluationSpread);
            if (context.Validation is { } validation)
            {
                Restored = () => validation.Restored;
                BestValidationStep = () => validation.BestStep;
            }
            var recorder = new ProbeRecorder<T>(ProbeSet.For(problem), problem.Normalization,
                ProbeSchedule.Steps(context.Config.Steps, context.Config.DisplayStep), () => Restored() ? BestValidationStep() : null);
            context.Observers.Add(recorder);
            _snapshots = () => recorder.Snapshots;
            _deadSince = () => recorder.DeadSince;
        }
    }
}
