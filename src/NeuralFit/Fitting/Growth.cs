using System.Diagnostics;
using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Training;

namespace NeuralFit.Fitting;

/// <summary>
/// Capacity that grows to the goal within a budget. When the user leaves the network to NeuralFit and a fit misses
/// its goal (the verdict), the fit goes on while time is left (<c>maxSeconds</c>, else <see cref="Defaults.GrowthSeconds"/>),
/// one stage at a time, each chosen from what the last one showed:
/// <list type="bullet">
/// <item>training stopped at its loss goal (<see cref="Defaults.RecipeLossGoal"/>) while the goal asks for more: the
///   same network goes on to a goal 100 times lower;</item>
/// <item>the error between the training points far above the error at them (the evaluation's mean square more than
///   <see cref="GapFactor"/> times the training loss): twice the points, the new half where the error is
///   (<see cref="ErrorDirectedPoints"/>), the same network going on from where it was;</item>
/// <item>else more capacity: every layer <see cref="WidthFactor"/> times wider (<see cref="Widening"/>, which keeps the
///   function, so nothing learnt is lost), with five points per parameter; once a widening stops paying (its error did
///   not halve), a target of two or more inputs gets a second layer instead, with as many parameters as the wider
///   single layer would have had (a fresh start: there is no function-preserving way to add a layer of tanh units);</item>
/// <item>the solver as <see cref="Defaults"/> picks it for the new size: lm in float64 while its normal equations fit
///   the per-iteration budget, L-BFGS or Adam beyond.</item>
/// </list>
/// Settings the user gave are never changed: a given sampler or sample count keeps the points, a given optimizer the
/// solver, given steps each stage's steps. The result is the best stage's (its evaluation), with every stage in
/// <see cref="FitResult.Stages"/>.
/// </summary>
static class Growth
{
    const double GapFactor = 4;

    /// <summary>A stage that stopped at its loss goal without meeting the verdict's goes on with a goal 100 times lower,
    /// down to this (about float64's resolution of a unit-variance target's square).</summary>
    const double MinLossGoal = 1e-20;
    const double WidthFactor = 1.5;

    /// <summary>Seconds a stage needs left to be worth starting: a small lm fit converges in about that.</summary>
    const double MinStageSeconds = 0.5;

    /// <summary>Most training points a stage takes: lm's cost grows with them, and 20 000 points pin down networks of
    /// 4 000 parameters, larger than the budget trains.</summary>
    const int MaxPoints = 20_000;

    /// <summary>Most parameters a stage grows to: beyond, one stage would not converge within the default budget.</summary>
    const int MaxParameters = 20_000;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Refinements of a network the user fixed: at most this many, each while the last lowered the worst
    /// error by at least <see cref="RefineGain"/>.</summary>
    const int MaxRefinements = 2;
    const double RefineGain = 0.1;

    /// <summary>An expression fit without a checkpoint folder, whose network (to grow) or points (to refine) are NeuralFit's to choose.</summary>
    public static bool Applies(RunConfig given, RunConfig completed, Problem problem) =>
        // several outputs train the network as completed (grown stages and error-directed points judge one output's error)
        !problem.IsDataset && problem.OutputCount == 1 && completed.Checkpoint is null && (!given.Chosen(o => o.Layers) || PointsAreOurs(given, problem));

    static bool PointsAreOurs(RunConfig given, Problem problem) =>
        !given.Chosen(o => o.Samples) && !given.Chosen(o => o.Sampler) && !problem.FreshSampling;

    public static FitResult Run(RunConfig given, RunConfig completed, Problem problem, FitHooks hooks, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        double budget = completed.MaxSeconds ?? Defaults.GrowthSeconds;
        bool usersNetwork = given.Chosen(o => o.Layers);
        var stages = new List<Stage>();
        var runs = new List<(FitResult Result, Problem Problem)>();
        RunConfig config = completed;
        double[]? start = null;
        while (true)
        {
            double left = budget - clock.Elapsed.TotalSeconds;
            // the user's own network trains as asked at first; only what follows is held to the budget
            var stageConfig = usersNetwork && stages.Count == 0 ? config : config with { MaxSeconds = Math.Max(left, 0.01) };
            // the first stage is all most fits have: only a fit that grows says which stage it is in
            string? label = stages.Count == 0 ? null : $"stage {stages.Count + 1} ({Network(config)})";
            var stageHooks = hooks with { Progress = hooks.Progress is { } progress ? p => progress(p with { Stage = label }) : null };
            var watch = Stopwatch.StartNew();
            var result = FitRunner.RunProblem(stageConfig, problem, stageHooks, cancel, start);
            stages.Add(new Stage(config.Layers, problem.Training.Count, watch.Elapsed.TotalSeconds, result.Evaluation.R2, "the evaluation", config.Optimizer.Name(), result.Evaluation.MaxAbsError));
            runs.Add((result with { Config = result.Config with { MaxSeconds = completed.MaxSeconds } }, problem));
            if (result.StopReason is StopReason.Cancelled or StopReason.MemoryLimit or StopReason.Diverged) break;
            if (budget - clock.Elapsed.TotalSeconds < MinStageSeconds) break;
            if (usersNetwork ? !Refines(runs) : result.Verdict.Fitted) break;
            bool widthPaid = runs.Count < 2 || runs[^2].Result.Config.Layers.SequenceEqual(runs[^1].Result.Config.Layers)
                || Score(runs[^1].Result) <= Score(runs[^2].Result) / 2;
            var next = Next(given, runs[^1].Result, runs[^1].Problem, Best(runs), widthPaid, stages.Count);
            if (next is null) break;
            (config, problem, start) = next.Value;
        }
        var chosen = Best(runs);
        if (chosen != runs[^1].Result && runs[^1].Result.StopReason != StopReason.Cancelled && hooks.Extensions.Count > 0)
        {
            // The extensions (probes for a report, checkpoints) saw the last stage: a run of no steps from the best
            // stage's parameters shows them the model that is kept.
            var (bestResult, bestProblem) = runs.First(r => r.Result == chosen);
            FitRunner.RunProblem(bestResult.Config with { Steps = 0 }, bestProblem, hooks with { Progress = null }, cancel, chosen.Model.ParametersAsDouble());
        }
        if (stages.Count == 1) return chosen;
        var notes = chosen == runs[^1].Result ? chosen.Notes
            : [.. chosen.Notes, $"stage {runs.FindIndex(r => r.Result == chosen) + 1} of {runs.Count} fitted best and is the model"];
        return chosen with { Stages = stages, WallSeconds = clock.Elapsed.TotalSeconds, Notes = notes };
    }

    /// <summary>
    /// Whether a network the user fixed gets another round of points where its error is (then, while each round lowers
    /// the worst error by at least <see cref="RefineGain"/>). Only with evidence that it can pay: the solver stopped
    /// at its iteration cap (the round goes on from where it was), or the fit errs between its training points by at
    /// least <see cref="BetweenPointsFactor"/> times its worst error at them. A round of new points can at best bring
    /// the worst error down to the level at the points, and it costs about as much as the run before it; a fit whose
    /// points already pin it down gains a percent or less (the 1-50-10-1 ReLU network on ln(x), started as a spline on
    /// curvature-spaced knots: 5.34e-4 before a round, 5.36e-4 after, with 1.16 times the error between the points).
    /// </summary>
    static bool Refines(List<(FitResult Result, Problem Problem)> runs)
    {
        // a whole-batch solver goes on from where it was in a few iterations; a step optimizer would rerun all its steps
        var (last, problem) = runs[^1];
        if (runs.Count > MaxRefinements || !last.Config.Optimizer.IsWholeBatch()) return false;
        if (runs.Count > 1 && !(last.Evaluation.MaxAbsError <= (1 - RefineGain) * runs[^2].Result.Evaluation.MaxAbsError)) return false;
        if (last.StopReason == StopReason.Completed) return true;
        var (at, between) = ErrorDirectedPoints.WorstErrors(problem.Function, last.Model, problem.Domain, problem.Training,
            RandomStreams.StageCheck(last.Config.Seed, runs.Count));
        return between >= BetweenPointsFactor * at;
    }

    /// <summary>How much worse between the training points than at them a fit must err to get a round of points.</summary>
    const double BetweenPointsFactor = 1.25;

    /// <summary>The best run: those meeting their goal first, the lowest worst error among them; else the closest to the goal.</summary>
    static FitResult Best(List<(FitResult Result, Problem Problem)> runs) =>
        runs.Select(r => r.Result).OrderBy(r => r.Verdict.Fitted ? 0 : 1).ThenBy(r => r.Verdict.Fitted && r.Config.GoalMse is null ? Finite(r.Evaluation.MaxAbsError) : Score(r)).First();

    static double Finite(double v) => double.IsFinite(v) ? v : double.PositiveInfinity;

    /// <summary>What the goal measures, lower is better: the requested max error or mse, else 1 − R².</summary>
    static double Score(FitResult r)
    {
        double v = r.Config.GoalMaxError is not null ? r.Evaluation.MaxAbsError : r.Config.GoalMse is not null ? r.Evaluation.Mse : 1 - r.Evaluation.R2;
        return double.IsFinite(v) ? v : double.PositiveInfinity;
    }

    /// <summary>
    /// The next stage after <paramref name="last"/>: its configuration, problem and starting parameters (null: a fresh
    /// start), or null when nothing is left to try. The ladder goes on from the last stage (points and widths only grow);
    /// the parameters start from the best stage so far when its network fits inside the new one, else from the last.
    /// </summary>
    /// <param name="widthPaid">False when the last stage widened the network and its error did not halve: widening
    /// has stopped paying, and a target of several inputs gets its second layer.</param>
    static (RunConfig, Problem, double[]?)? Next(RunConfig given, FitResult last, Problem problem, FitResult best, bool widthPaid, int stage)
    {
        var c = last.Config;
        int inputs = problem.InputCount;
        var rng = RandomStreams.Stage(c.Seed, stage);
        bool morePoints = !given.Chosen(o => o.Samples) && !given.Chosen(o => o.Sampler) && !problem.FreshSampling;

        double training = TrainingLoss(last, problem);
        if (c.LossGoal is double goal && training <= goal && !given.Chosen(o => o.LossGoal) && goal > MinLossGoal)
            return (c with { LossGoal = goal / 100 }, problem, last.Model.ParametersAsDouble());

        IReadOnlyList<int> layers = c.Layers;
        bool usersNetwork = given.Chosen(o => o.Layers);
        if (usersNetwork && !(morePoints && problem.Training.Count < MaxPoints)) return null;
        if (!usersNetwork && !(morePoints && BetweenPoints(last, training, problem) && problem.Training.Count < MaxPoints))
        {
            int second = Defaults.TwoLayerWidth((int)Math.Ceiling(c.Layers[0] * WidthFactor), inputs);
            layers = c.Layers.Count == 1 && inputs >= 2 && !widthPaid
                ? [second, second]
                : c.Layers.Select(w => (int)Math.Ceiling(w * WidthFactor)).ToArray();
            if (Defaults.ParameterCount(inputs, layers) > MaxParameters) return null;
        }
        long parameters = Defaults.ParameterCount(inputs, layers);
        var shape = new NetworkShape(inputs, layers, 1, c.Activation);
        var from = Fits(best.Model.Shape, shape) ? best.Model : Fits(last.Model.Shape, shape) ? last.Model : null;
        double[]? start = from is null ? null : Widening.Widen(from.Shape, shape, from.ParametersAsDouble(), rng);
        var next = c with { Layers = layers };
        if (start is null && !given.Chosen(o => o.Init) && (next.Optimizer.IsWholeBatch() || !given.Chosen(o => o.Optimizer)))
            next = next with { Init = new InitSpec(InitKind.NguyenWidrow) };
        if (morePoints)
        {
            // a refinement of the user's network adds half as many points again; more points for the same network, as many again
            int want = (int)Math.Min(MaxPoints, usersNetwork ? 3 * problem.Training.Count / 2
                : layers == c.Layers ? 2 * problem.Training.Count : Math.Max(5 * parameters, problem.Training.Count));
            if (want > problem.Training.Count)
                problem = problem.WithMoreTraining(ErrorDirectedPoints.Draw(problem.Function, from ?? last.Model, problem.Domain,
                    want - problem.Training.Count, rng, problem.Training));
        }
        return (Solve(given, next, problem.Training.Count), problem, start);
    }

    /// <summary>A network fits inside another when it has the same depth and no layer wider.</summary>
    static bool Fits(NetworkShape small, NetworkShape large) =>
        small.Inputs == large.Inputs && small.LayerCount == large.LayerCount && small.Hidden.Select((w, l) => w <= large.Hidden[l]).All(x => x);

    /// <summary>The fit is worse between the training points than at them: the evaluation's mean square, in the
    /// network's units, more than <see cref="GapFactor"/> times the training points'.</summary>
    static bool BetweenPoints(FitResult r, double trainingLoss, Problem p)
    {
        double scale = p.Normalization.Target.Scale;
        return r.Evaluation.Mse / (scale * scale) > GapFactor * trainingLoss;
    }

    /// <summary>The mean squared error on the training points in the network's units, as the loss goal measures it.</summary>
    static double TrainingLoss(FitResult r, Problem p)
    {
        var prediction = r.Model.Predict(p.Training.X.Span);
        double sse = 0, scale = p.Normalization.Target.Scale;
        for (int i = 0; i < p.Training.Count; i++) sse += (prediction[i] - p.Training.Y.Span[i]) * (prediction[i] - p.Training.Y.Span[i]);
        return sse / p.Training.Count / (scale * scale);
    }

    /// <summary>The solver, precision and steps Defaults would choose for this size, where the user did not choose them.</summary>
    static RunConfig Solve(RunConfig given, RunConfig c, int samples)
    {
        long parameters = Defaults.ParameterCount(c.Domain.Count, c.Layers);
        if (!given.Chosen(o => o.Optimizer)) c = c with { Optimizer = Defaults.Solver(parameters, samples) };
        if (!given.Chosen(o => o.Precision) && c.Optimizer.IsWholeBatch()) c = c with { Precision = Precision.Float64 };
        if (!given.Chosen(o => o.Steps) && c.Optimizer.IsWholeBatch())
            c = c with { Steps = Defaults.SolverSteps(c, samples) };
        return c with { Samples = samples };
    }

    static string Network(RunConfig c) => string.Join("-", [c.Domain.Count, .. c.Layers, 1]);
}
