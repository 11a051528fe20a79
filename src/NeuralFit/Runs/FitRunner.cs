using System.Diagnostics;
using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Networks;
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
        var divergence = new DivergenceGuard<T>(history.Interval);
        var observers = new List<ITrainingObserver<T>> { divergence, history };
        if (config.DisplayStep is int every && hooks.Display is not null)
            observers.Add(new DisplayObserver<T>(every, problem, new FittedModel<T>(session.Network, problem.Normalization),
                RandomStreams.Display(config.Seed), hooks.Display));
        if (hooks.Progress is not null)
            observers.Add(new ProgressObserver<T>(hooks.Progress, TimeSpan.FromMilliseconds(100)));
        var context = new RunContext<T>(config, problem, session, model, observers);
        foreach (var extension in hooks.Extensions) extension.Attach(context);

        var clock = Stopwatch.StartNew();
        Trainer.Train(session, observers, cancel);
        double seconds = clock.Elapsed.TotalSeconds;

        var prediction = model.Predict(problem.EvaluationSet.X.AsSpan());
        return new FitResult
        {
            Config = config,
            Model = model,
            Steps = session.Step,
            WallSeconds = seconds,
            Evaluation = Metrics.Compare(problem.EvaluationSet, prediction, problem.EvaluationLabel),
            History = history.Points,
            StopReason = session.StopReason ?? StopReason.Completed,
            StopDetail = session.StopDetail,
            Notes = Notes(problem),
        };
    }

    /// <summary>About 200 history points per run: enough for a loss curve, cheap to keep.</summary>
    public static int HistoryInterval(int steps) => Math.Max(1, steps / 200);

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
