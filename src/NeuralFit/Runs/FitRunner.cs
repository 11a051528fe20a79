using System.Diagnostics;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Networks;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Runs;

/// <summary>
/// One run, end to end: configuration → problem (target, samples, normaliser) → network → training → evaluation.
/// </summary>
public static class FitRunner
{
    public static FitResult Run(RunConfig config, FitHooks? hooks = null, CancellationToken cancel = default)
    {
        config = Defaults.Complete(config);
        ResourceEstimate.Check(config); // before anything is allocated
        var problem = Problem.Create(config);
        return config.Precision == Precision.Float64
            ? Run<double>(config, problem, hooks ?? new FitHooks(), cancel)
            : Run<float>(config, problem, hooks ?? new FitHooks(), cancel);
    }

    static FitResult Run<T>(RunConfig config, Problem problem, FitHooks hooks, CancellationToken cancel)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var session = SessionFactory.Create<T>(config, problem);
        var model = new FittedModel<T>(session.Network, problem.Normalization);
        var evaluation = new FittedModel<T>(session.Network, problem.Normalization); // own workspace: history runs mid-step
        var history = new HistoryRecorder<T>(HistoryInterval(config.Steps),
            evaluationMse: () => Metrics.Compare(problem.EvaluationSet, evaluation.Predict(problem.EvaluationSet.X.AsSpan()), problem.EvaluationLabel).Mse);
        var best = new BestModelKeeper<T>(history);
        var divergence = new DivergenceGuard<T>(history.Interval, config.OnDivergence, best);
        var observers = new List<ITrainingObserver<T>> { divergence, history, best };
        if (config.MaxSeconds is double seconds) observers.Add(new TimeLimit<T>(seconds));
        if (config.MaxMemory is long bytes) observers.Add(new MemoryLimit<T>(bytes));
        if (config.DisplayStep is int every && hooks.Display is not null)
            observers.Add(new DisplayObserver<T>(every, problem, new FittedModel<T>(session.Network, problem.Normalization),
                RandomStreams.Display(config.Seed), hooks.Display));
        if (hooks.Progress is not null)
            observers.Add(new ProgressObserver<T>(hooks.Progress, TimeSpan.FromMilliseconds(100)));
        var context = new RunContext<T>(config, problem, session, model, observers) { History = history, Divergence = divergence, Best = best };
        foreach (var extension in Extensions(config, hooks)) extension.Attach(context);

        int startStep = session.Step;
        var clock = Stopwatch.StartNew();
        Trainer.Train(session, observers, cancel);
        double wallSeconds = clock.Elapsed.TotalSeconds;

        var prediction = model.Predict(problem.EvaluationSet.X.AsSpan());
        return new FitResult
        {
            Config = config,
            Model = model,
            Steps = session.Step,
            WallSeconds = wallSeconds,
            StartStep = startStep,
            Evaluation = Metrics.Compare(problem.EvaluationSet, prediction, problem.EvaluationLabel),
            History = history.Points,
            StopReason = session.StopReason ?? StopReason.Completed,
            StopDetail = session.StopDetail,
            Notes = [.. Notes(problem), .. divergence.Rollbacks.Select(Describe)],
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
        $"{r.What} at step {r.Step}: rolled back to the state of step {r.RestoredStep} and went on at {r.RateScale:G3}× the learning rate";

    static List<string> Notes(Problem p)
    {
        var notes = new List<string>();
        if (p.DroppedTrainingPoints > 0)
            notes.Add($"{p.DroppedTrainingPoints} training points were left out because the target is not finite there");
        int badEval = p.EvaluationSet.Y.Count(y => !double.IsFinite(y));
        if (badEval > 0)
            notes.Add($"{badEval} of {p.EvaluationSet.Count} evaluation points were left out because the target is not finite there");
        return notes;
    }
}
