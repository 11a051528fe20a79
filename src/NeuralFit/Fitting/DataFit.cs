using System.Diagnostics;
using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Fitting;

/// <summary>
/// A data file's fit, which must never lose to a straight line. Beside the network it fits the linear baseline, ridge
/// regression with α by leave-one-out, on the rows outside the test share. When NeuralFit chooses the network, the
/// candidates in order of size — the baseline, then networks of 1, 2, 4, … tanh units trained by Levenberg–Marquardt
/// with Bayesian regularisation, which weighs fit against weight size from the evidence and needs no validation rows —
/// are scored on held-out rows: K-fold cross-validation (<see cref="RunConfig.Folds"/>, by default on small data,
/// where one validation split is too few rows to tell models apart), else the validation rows. The smallest candidate
/// within one standard error of the best is kept (Hastie, Tibshirani and Friedman, The Elements of Statistical
/// Learning, 2nd ed., §7.10: the "one-standard-error rule", which does not pay for complexity the data cannot
/// confirm) and refitted on all those rows. When the baseline wins, the model is the baseline, a network with no
/// hidden layer. A network the user fixed is kept whatever the comparison says; the verdict says how it compares.
/// </summary>
static class DataFit
{
    /// <summary>Rows (outside the test share) up to which a fit is chosen by cross-validation by default: K fits of a
    /// few hundred rows cost a few seconds, and one validation split of 15 % of them is 300 rows at most, whose mean
    /// square error is uncertain by about ±8 % (√(2/300)), as much as the differences between candidates.</summary>
    public const int SmallData = 2000;
    public const int DefaultFolds = 5;

    /// <summary>Widths tried stop after this many in a row that do not improve on the best held-out score.</summary>
    const int Patience = 2;

    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static FitResult Run(RunConfig given, RunConfig completed, Problem problem, FitHooks hooks, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        var data = Dataset.Load(completed);
        var rest = Problem.SplitRows(completed, data).Rest; // the rows outside the test share, as a view when the problem's are
        if (data.OutputCount > 1) return SeveralOutputs(completed, problem, rest, hooks, cancel, clock);
        var ridge = RidgeRegression.Fit(rest);
        bool choose = !given.Chosen(o => o.Layers) && !given.Chosen(o => o.Optimizer) && !given.Chosen(o => o.Regularization);
        int? folds = completed.Folds ?? (choose && rest.Count <= SmallData && rest.Count >= 4 * DefaultFolds ? DefaultFolds : null);
        double budget = completed.MaxSeconds ?? Defaults.GrowthSeconds;

        // A network with no hidden layer is a linear model: when NeuralFit chooses its training, it is fitted in closed
        // form as the baseline is, so a configuration saved from a fit whose model is the baseline reruns to the same model.
        if (completed.Layers.Count == 0 && !given.Chosen(o => o.Optimizer))
            return Finish(completed, data, ridge, held: null, networkWins: false, useBaseline: true, [], hooks, cancel, clock);

        if (folds is int k)
        {
            // the folds are dealt over the rows in the file's order, whatever order the store holds them in
            var cv = new CrossValidation(data.Rows.RestInFileOrder(completed.TestFraction, RandomStreams.TestSplit(completed.Seed)), k, RandomStreams.Folds(completed.Seed));
            string measured = $"{k}-fold cross-validation";
            var stages = new List<Stage>();
            var scores = new List<(RunConfig? Config, CrossValidation.Score Score)>();
            var ridgeScore = Timed(stages, [], cv.TrainingRows, measured, "ridge", () => cv.Run((train, held) => RidgeRegression.Fit(train).Predict(held.X.Span)));
            scores.Add((null, ridgeScore));
            if (choose)
                foreach (var candidate in Candidates(completed, rest.Count, data.InputCount))
                {
                    if (clock.Elapsed.TotalSeconds > budget / 2 || cancel.IsCancellationRequested) break;
                    var stageHooks = FitRunner.StageHooks(hooks, $"stage {stages.Count + 1} ({Describe(candidate, data.InputCount)}, {k}-fold)");
                    var score = Timed(stages, candidate.Layers, cv.TrainingRows, measured, "lm, bayesian", () => cv.Run((train, held) =>
                        FitRunner.RunProblem(candidate with { TestFraction = 0 }, Problem.FromDataset(candidate with { TestFraction = 0 }, data with { Rows = DataRows.CopyOf(train) }), stageHooks, cancel)
                            .Model.Predict(held.X.Span)));
                    scores.Add((candidate, score));
                    int best = scores.Skip(1).Select((s, i) => (s.Score.Mse, i)).Min().i + 1;
                    if (scores.Count - 1 - best >= Patience) break;
                }
            else
            {
                var own = Timed(stages, completed.Layers, cv.TrainingRows, measured, completed.Optimizer.Name(), () => cv.Run((train, held) =>
                    FitRunner.RunProblem(completed with { TestFraction = 0 }, Problem.FromDataset(completed with { TestFraction = 0 }, data with { Rows = DataRows.CopyOf(train) }),
                        FitRunner.StageHooks(hooks, $"your network, {k}-fold"), cancel).Model.Predict(held.X.Span)));
                scores.Add((completed, own));
            }
            int chosen = OneStandardError(scores.Select(s => s.Score).ToList());
            var networks = scores.Skip(1).ToList();
            var bestNetwork = networks.Count == 0 ? default : networks.MinBy(s => s.Score.Mse);
            bool networkWins = choose ? chosen > 0 : networks.Count > 0 && networks[0].Score.Mse < ridgeScore.Mse;
            // the baseline's run keeps the settings as completed (a rerun is the same run), the chosen network its own
            var config = choose && networkWins ? scores[chosen].Config! : completed;
            var heldOut = new HeldOut(measured, ridgeScore.R2, bestNetwork.Config is null ? double.NaN : (networkWins && choose ? scores[chosen].Score : bestNetwork.Score).R2);
            return Finish(config, data, ridge, heldOut, networkWins, useBaseline: choose && !networkWins, stages, hooks, cancel, clock);
        }

        // Many rows: the network as completed, with early stopping on its validation rows, where the baseline is measured
        // too; L-BFGS on more rows than an iteration can afford first trains on a subsample of them (SubsampledFit).
        List<Stage> subsampled = [];
        FitResult result;
        if (SubsampledFit.Applies(completed, problem))
        {
            (result, var first) = SubsampledFit.Run(completed, problem, hooks, cancel);
            subsampled.Add(first);
            subsampled.Add(new Stage(completed.Layers, problem.Training.Count, result.WallSeconds, result.Evaluation.R2, result.Evaluation.Domain, "lbfgs on every row"));
        }
        else result = FitRunner.RunProblem(completed, problem, hooks, cancel);
        if (problem.Validation.Count == 0)
            return Annotate(result, data, ridge, problem, null, null, subsampled, clock);
        var onTraining = RidgeRegression.Fit(problem.Training);
        double ridgeMse = Mse(onTraining.Predict(problem.Validation.X.Span), problem.Validation.Y);
        double networkMse = Mse(result.Model.Predict(problem.Validation.X.Span), problem.Validation.Y);
        var (_, std, _) = Preprocessing.AffineMap.Moments(problem.Validation.Y.Span);
        var held = new HeldOut("the validation rows", 1 - ridgeMse / (std * std), 1 - networkMse / (std * std));
        bool wins = networkMse < ridgeMse;
        if (wins || !choose) return Annotate(result, data, ridge, problem, held, wins, subsampled, clock);
        return Finish(completed, data, ridge, held, false, useBaseline: true, [], hooks, cancel, clock);
    }

    /// <summary>
    /// Several target columns: the network as completed (its width from the rows, lm while affordable, early stopping
    /// on the validation rows), beside a ridge baseline per output measured on the same test rows. The choice among
    /// candidate networks and the baseline as the model are made for one output only, so they are not made here; the
    /// verdict still asks the network to beat the baselines (the mean of the outputs' r2 against theirs).
    /// </summary>
    static FitResult SeveralOutputs(RunConfig completed, Problem problem, SampleSet rest, FitHooks hooks, CancellationToken cancel, Stopwatch clock)
    {
        var result = FitRunner.RunProblem(completed, problem, hooks, cancel);
        int k = rest.Outputs;
        var ridges = Enumerable.Range(0, k).Select(o => RidgeRegression.Fit(rest.Output(o))).ToArray();
        var eval = problem.EvaluationSet;
        var prediction = new double[eval.Count * k];
        for (int o = 0; o < k; o++)
        {
            var column = ridges[o].Predict(eval.X.Span);
            for (int i = 0; i < column.Length; i++) prediction[i * k + o] = column[i];
        }
        var baseline = Metrics.Compare(eval, prediction, problem.EvaluationLabel, problem.TargetNames) with { Sampling = EvaluationSamplings.Rows };
        var annotated = Annotate(result, problem, new Baseline("ridge", ridges[0].Alpha, baseline, double.NaN) { Alphas = ridges.Select(r => r.Alpha).ToArray() },
            held: null, networkWins: null, [], clock);
        return annotated with
        {
            Notes = [.. annotated.Notes, $"{k} outputs: the network as set up was trained on all of them at once; choosing among networks and falling back to the linear baseline are done for one output only"],
        };
    }

    /// <summary>How the network and the baseline did on the held-out rows the choice was made on.</summary>
    sealed record HeldOut(string On, double BaselineR2, double NetworkR2);

    /// <summary>
    /// The final run on every row outside the test share: the chosen network; or, when the baseline is the model, a
    /// run of the network with no hidden layer that starts at the ridge solution and takes no step, so the model file,
    /// reports and diagnosis see it as they see any network.
    /// </summary>
    static FitResult Finish(RunConfig config, Dataset data, RidgeRegression ridge, HeldOut? held, bool networkWins,
        bool useBaseline, List<Stage> stages, FitHooks hooks, CancellationToken cancel, Stopwatch clock)
    {
        if (!useBaseline)
        {
            var problem = Problem.FromDataset(config, data);
            var result = FitRunner.RunProblem(config, problem, hooks, cancel);
            return Annotate(result, data, ridge, problem, held, networkWins, stages, clock);
        }
        var linear = config with { Layers = [], Steps = 0, ValidationFraction = 0, EarlyStopping = null, Regularization = RegularizationKind.None };
        var linearProblem = Problem.FromDataset(linear, data);
        var start = NetworkUnits(ridge, linearProblem);
        var baselineRun = FitRunner.RunProblem(linear, linearProblem, hooks, cancel, start);
        var annotated = Annotate(baselineRun, data, ridge, linearProblem, held, false, stages, clock);
        return annotated with
        {
            // the settings as they were, but for the network, which has no hidden layer: a rerun (the verdict's next command) is the same run
            Config = config with { Layers = [] },
            UsesBaseline = true,
            Notes = [.. annotated.Notes, held is null
                ? string.Create(Inv, $"a network with no hidden layer is a linear model: fitted in closed form, as ridge regression (α {Verdict.G(ridge.Alpha)})")
                : string.Create(Inv, $"no network beat the linear baseline on {held.On} (r2 {held.NetworkR2:g4} at best against {held.BaselineR2:g4}): the model is ridge regression (α {Verdict.G(ridge.Alpha)}), a network with no hidden layer")],
        };
    }

    static FitResult Annotate(FitResult result, Dataset data, RidgeRegression ridge, Problem problem, HeldOut? held, bool? networkWins,
        List<Stage> stages, Stopwatch clock)
    {
        var baselineEvaluation = Metrics.Compare(problem.EvaluationSet, ridge.Predict(problem.EvaluationSet.X.Span), problem.EvaluationLabel) with { Sampling = EvaluationSamplings.Rows };
        return Annotate(result, problem, new Baseline("ridge", ridge.Alpha, baselineEvaluation, held?.BaselineR2 ?? double.NaN), held, networkWins, stages, clock);
    }

    static FitResult Annotate(FitResult result, Problem problem, Baseline baseline, HeldOut? held, bool? networkWins, List<Stage> stages, Stopwatch clock)
    {
        var names = problem.TargetNames;
        var splits = new Dictionary<string, Evaluation.Evaluation>
        {
            ["train"] = Metrics.CompareModel(problem.Training, result.Model, "training set", names) with { Sampling = EvaluationSamplings.Rows },
        };
        if (problem.Validation.Count > 0)
            splits["validation"] = Metrics.CompareModel(problem.Validation, result.Model, "validation set", names) with { Sampling = EvaluationSamplings.Rows };
        if (problem.EvaluationLabel == "test set") splits["test"] = result.Evaluation;
        return result with
        {
            Baseline = baseline,
            NetworkBeatsBaseline = networkWins,
            // the bound is for one target (the verdict judges one output against it)
            Noise = problem.Training.Outputs == 1 ? NoiseLevel.Local(problem.Training) : null,
            Splits = splits,
            Stages = stages,
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Networks of 1, 2, 4, … units while Levenberg–Marquardt stays affordable on these rows (see <see cref="Defaults.LmBudget"/>).</summary>
    static IEnumerable<RunConfig> Candidates(RunConfig completed, int rows, int inputs)
    {
        for (int width = 1; width <= Defaults.MaxDataWidth; width *= 2)
        {
            long parameters = (long)(inputs + 2) * width + 1;
            if ((double)parameters * parameters * rows / 2 > Defaults.LmBudget) yield break;
            yield return completed with
            {
                Layers = [width], Optimizer = OptimizerKind.Lm, Regularization = RegularizationKind.Bayesian, Precision = Precision.Float64,
                ValidationFraction = 0, EarlyStopping = null, Steps = Defaults.BayesianSteps,
                Init = completed.Chosen(o => o.Init) ? completed.Init : new InitSpec(InitKind.NguyenWidrow),
            };
        }
    }

    /// <summary>The first candidate (the simplest) whose error is within one standard error of the lowest.</summary>
    static int OneStandardError(IReadOnlyList<CrossValidation.Score> scores)
    {
        var best = scores.MinBy(s => s.Mse);
        for (int i = 0; i < scores.Count; i++)
            if (scores[i].Mse <= best.Mse + best.StandardError) return i;
        return 0;
    }

    static CrossValidation.Score Timed(List<Stage> stages, IReadOnlyList<int> layers, int rows, string measured, string method, Func<CrossValidation.Score> run)
    {
        var clock = Stopwatch.StartNew();
        var score = run();
        stages.Add(new Stage(layers, rows, clock.Elapsed.TotalSeconds, score.R2, measured, method));
        return score;
    }

    static string Describe(RunConfig c, int inputs) => string.Join("-", [inputs, .. c.Layers, 1]);

    static double Mse(double[] prediction, ReadOnlyMemory<double> y)
    {
        var ys = y.Span;
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++) sum += (prediction[i] - ys[i]) * (prediction[i] - ys[i]);
        return sum / prediction.Length;
    }

    /// <summary>The ridge model in the network's units: the problem's normaliser maps x to u = (x − s)/c and y to
    /// t = (y − s_y)/c_y, so y = b + Σ wⱼ(xⱼ − mⱼ)/σⱼ becomes t = Σ Wⱼuⱼ + B with Wⱼ = wⱼcⱼ/(σⱼc_y) and
    /// B = (b + Σ wⱼ(sⱼ − mⱼ)/σⱼ − s_y)/c_y.</summary>
    static double[] NetworkUnits(RidgeRegression ridge, Problem problem)
    {
        var n = problem.Normalization;
        int d = ridge.InputCount;
        var theta = new double[d + 1];
        double bias = ridge.Intercept;
        for (int j = 0; j < d; j++)
        {
            double w = ridge.Weights[j] / ridge.Inputs[j].Scale;
            theta[j] = w * n.Inputs[j].Scale / n.Target.Scale;
            bias += w * (n.Inputs[j].Shift - ridge.Inputs[j].Shift);
        }
        theta[d] = (bias - n.Target.Shift) / n.Target.Scale;
        return theta;
    }
}
