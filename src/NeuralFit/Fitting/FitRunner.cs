using System.Diagnostics;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Networks;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Fitting;

/// <summary>
/// One run, end to end: configuration → problem (target, samples, normaliser) → network → training → evaluation.
/// </summary>
internal static class FitRunner
{
    /// <summary>A fit of what <paramref name="options"/> describe (an expression over a domain, or a data file), NeuralFit
    /// choosing every setting they leave null.</summary>
    public static FitResult Run(FitOptions options, FitHooks? hooks = null, CancellationToken cancel = default) =>
        Run(RunConfig.From(ConfigReader.Check(options)), hooks, cancel);

    public static FitResult Run(RunConfig config, FitHooks? hooks = null, CancellationToken cancel = default)
    {
        var completed = Defaults.Complete(config);
        ResourceEstimate.Check(completed); // before anything is allocated
        var problem = Problem.Create(completed);
        Representability.Check(problem, completed); // numbers the run cannot hold are refused, not trained on
        hooks ??= new FitHooks();
        var result = problem.IsDataset ? DataFit.Run(config, completed, problem, hooks, cancel)
            : hooks.Grow != false && Growth.Applies(config, completed, problem) ? Growth.Run(config, completed, problem, hooks, cancel)
            : RunProblem(completed, problem, hooks, cancel);
        if (config.Sampler == SamplerKind.FreshUniform && config.Chosen(o => o.Sampler) && completed.Sampler != SamplerKind.FreshUniform)
            result = result with { Notes = [.. result.Notes, $"{completed.Optimizer.Name()} needs a fixed training set: {completed.Samples} points drawn uniformly once replaced fresh-uniform sampling"] };
        return result;
    }

    /// <summary>One training run of a completed configuration on a problem made from it (or from part of its data).</summary>
    /// <param name="start">Parameters to start from instead of the initialisation.</param>
    internal static FitResult RunProblem(RunConfig config, Problem problem, FitHooks hooks, CancellationToken cancel, double[]? start = null) =>
        config.Precision == Precision.Float64 ? Run<double>(config, problem, hooks, cancel, start) : Run<float>(config, problem, hooks, cancel, start);

    /// <summary>The hooks for one stage of a fit that grows or compares candidates: progress labelled with the stage,
    /// no display lines, and of the extensions only the cores (probes and checkpoints follow the run that makes the
    /// model; the stages run one after another, each on the cores the run may use).</summary>
    internal static FitHooks StageHooks(FitHooks hooks, string stage) => new()
    {
        Progress = hooks.Progress is { } progress ? p => progress(p with { Stage = stage }) : null,
        Extensions = [.. hooks.Extensions.OfType<UseCores>()],
    };

    static FitResult Run<T>(RunConfig config, Problem problem, FitHooks hooks, CancellationToken cancel, double[]? start)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // One of the two: a step optimizer's session or a whole-batch solver's; observers see either as the run.
        var (steps, solver) = config.Optimizer.IsWholeBatch()
            ? (null, WholeBatchSetup.Create<T>(config, problem, start))
            : (SessionFactory.Create<T>(config, problem, start), (SolverSession<T>?)null);
        IRestorableRun<T> session = (IRestorableRun<T>?)steps ?? solver!;
        Representability.CheckInitialWeights<T>(session.Network.Parameters, config);
        var model = new FittedModel<T>(session.Network, problem.Normalization) { InputNames = problem.InputNames, TargetName = problem.TargetName, TargetNames = problem.TargetNames };
        var evaluation = new FittedModel<T>(session.Network, problem.Normalization); // own workspace: history runs mid-step
        int interval = HistoryInterval(config.Steps);
        var curve = problem.LearningCurveSet;
        var curvePrediction = new double[curve.Y.Length]; // made once: a data file's curve is all its test rows, measured up to 200 times
        var validation = problem.Validation.Count == 0 ? null
            : new ValidationMonitor<T>(problem.Validation, problem.Normalization, solver is null ? interval : 1, config.EarlyStopping);
        var history = new HistoryRecorder<T>(interval, validation is null ? null : () => validation.LastLoss,
            evaluationMse: () =>
            {
                evaluation.Predict(curve.X.Span, curvePrediction);
                return Metrics.Compare(curve, curvePrediction, problem.EvaluationLabel, problem.TargetNames).Mse;
            },
            schedule: steps?.Schedule);
        var best = new BestModelKeeper<T>(history);
        var divergence = new DivergenceGuard<T>(session, history.Interval, rollBack: config.OnDivergence == DivergencePolicy.Rollback, best);
        var observers = new List<ITrainingObserver<T>> { divergence };
        if (validation is not null) observers.Add(validation); // before the history, which records its loss
        observers.Add(history);
        observers.Add(best);
        if (config.LossGoal is double goal) observers.Add(new LossGoal<T>(goal));
        if (config.MaxSeconds is double seconds) observers.Add(new TimeLimit<T>(seconds));
        if (config.MaxMemory is long bytes) observers.Add(new MemoryLimit<T>(bytes));
        if (config.DisplayStep is int every and > 0 && hooks.Display is not null)
            observers.Add(new DisplayObserver<T>(every, problem.DisplayPoint, new FittedModel<T>(session.Network, problem.Normalization),
                RandomStreams.Display(config.Seed), hooks.Display));
        if (hooks.Progress is not null)
            observers.Add(new ProgressObserver<T>(hooks.Progress, TimeSpan.FromMilliseconds(100)));
        var context = new RunContext<T>(config, problem, session, model, observers)
            { Steps = steps, Solver = solver, History = history, Divergence = divergence, Best = best, Validation = validation };
        foreach (var extension in Extensions(config, hooks)) extension.Attach(context);

        int startStep = session.Step;
        var clock = Stopwatch.StartNew();
        if (solver is null) Trainer.Train(steps!, observers, cancel);
        else WholeBatchTrainer.Train(solver, observers, cancel);
        double wallSeconds = clock.Elapsed.TotalSeconds;

        return new FitResult
        {
            Config = config,
            Model = model,
            Steps = session.Step,
            WallSeconds = wallSeconds,
            StartStep = startStep,
            Evaluation = problem.Evaluate(model),
            History = history.Points,
            StopReason = session.StopReason ?? StopReason.Completed,
            StopDetail = session.StopDetail,
            Reference = ReferenceLine.For(problem, model.Shape.ParameterCount),
            Notes = [.. Notes(config, problem), .. divergence.Rollbacks.Select(Describe)],
        };
    }

    /// <summary>The caller's extensions, with checkpoints when the configuration names a folder and the caller did not plan them.</summary>
    static IEnumerable<IRunExtension> Extensions(RunConfig config, FitHooks hooks) =>
        config.Checkpoint is not null && !hooks.Extensions.OfType<RunCheckpoints>().Any()
            ? [.. hooks.Extensions, new RunCheckpoints(CheckpointPlan.For(config))]
            : hooks.Extensions;

    /// <summary>About 200 history points per run: enough for a loss curve, cheap to keep.</summary>
    public static int HistoryInterval(int steps) => Math.Max(1, steps / 200);

    static string Describe(Rollback r) =>
        $"{r.What} at step {r.Step}: rolled back to the state of step {r.RestoredStep} and went on at {r.RateScale:g3}× the learning rate";

    /// <summary>Points with a target that is not finite (counted without a copy of each point's targets).</summary>
    static int BadEvaluationPoints(Sampling.SampleSet set)
    {
        int bad = 0;
        for (int i = 0; i < set.Count; i++)
            foreach (var y in set.Targets(i))
                if (!double.IsFinite(y)) { bad++; break; }
        return bad;
    }

    static List<string> Notes(RunConfig c, Problem p)
    {
        var notes = new List<string>(p.DataNotes);
        var ignored = WholeBatchSetup.IgnoredSettings(c).ToList();
        if (ignored.Count > 0)
            notes.Add($"{c.Optimizer.Name()} uses the whole training set and chooses its own steps, so {string.Join(", ", ignored)} did not apply");
        if (p.DroppedTrainingPoints > 0)
            notes.Add(p.DroppedTrainingPoints == 1 ? "1 training point was left out because the target is not finite there"
                : $"{p.DroppedTrainingPoints} training points were left out because the target is not finite there");
        int badEval = BadEvaluationPoints(p.EvaluationSet);
        if (badEval > 0)
            notes.Add($"{badEval} of {p.EvaluationSet.Count} evaluation points were left out because the target is not finite there");
        return notes;
    }
}
