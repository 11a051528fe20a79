using NeuralFit.Networks;
using NeuralFit.Targets;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Configuration;

/// <summary>
/// Completes a configuration: settings the user did not give are chosen to suit the problem and the ones they did.
/// A setting counts as given when the caller's <see cref="FitOptions"/> set it, in code, in a file or by a flag
/// (<see cref="RunConfig.Options"/>); a configuration the engine builds whole in code, with no options, is taken as
/// complete, as written. Given settings are never changed, with one exception noted in the result: lbfgs and lm need
/// a fixed training set, so fresh-uniform sampling becomes uniform for them.
///
/// What NeuralFit picks, and why (MATLAB's fitnet is the model: Levenberg–Marquardt, scaled data, early stopping):
/// <list type="bullet">
/// <item>a tanh network with one hidden layer, as wide as the target's detail asks (<see cref="TargetResolution"/>),
///   or two from three inputs on (<see cref="HiddenLayers"/>); when it misses its goal, it grows (<c>Growth</c>);</item>
/// <item>Levenberg–Marquardt in float64 while its normal equations are cheap (P²·N within <see cref="LmBudget"/>);
///   L-BFGS for larger networks on moderate data; on a data file beyond that, L-BFGS on a subsample and then on every
///   row; Adam beyond;</item>
/// <item>inputs mapped onto [−1, 1] and targets standardised, with Nguyen–Widrow initial weights, which spread the
///   hidden units over that box;</item>
/// <item>a fixed training set on an even grid, 5 points per parameter and at least 1024: it weighs the domain as the evaluation
///   grid does (Chebyshev points, dense at the ends, fit smooth targets' ends better but crowd next to a singular
///   end, where ln(x) on [0, 1] takes values of −15 at the first point);</item>
/// <item>stopping when the training loss reaches 1e-10 of the targets' variance (<see cref="RecipeLossGoal"/>);</item>
/// <item>a 15 % validation set; for a data file also early stopping that keeps the best weights (fitnet's guard
///   against fitting noise). An expression has no noise and can be sampled as densely as needed: there a gap
///   between training and validation error calls for more samples, not fewer iterations, and a validation set cannot
///   watch every region the evaluation grid does (ln(x) on [0.001, 1000] has one grid point below 1), so its
///   validation loss is recorded and diagnosed but does not stop training.</item>
/// </list>
/// A user who fixes the initial weights gets normalisation only where <c>auto</c> finds data far from unit scale,
/// because an explicit init is chosen for the inputs as they are (the ln(x) question's setup runs as written).
/// </summary>
internal static class Defaults
{
    /// <summary>
    /// Most multiply-adds per Levenberg–Marquardt iteration (JᵀJ costs P²·N/2): about 0.1–0.2 s on one core, whose
    /// Gram kernel runs at 10–20 G multiply-adds/s (4-17-17-1 tanh on 2400 points, 1.8e8 per iteration: 10 ms). With the
    /// default budget of <see cref="GrowthSeconds"/> that leaves at least 150 iterations, more than lm needs to converge
    /// on the networks it is chosen for; L-BFGS, whose iterations cost P·N, takes over beyond.
    /// </summary>
    public const double LmBudget = 2e9;

    /// <summary>Most parameters × samples per L-BFGS iteration before Adam's minibatches are the better deal.</summary>
    public const double LbfgsBudget = 5e7;

    /// <summary>
    /// Rows per parameter L-BFGS trains on first when a data file has more rows than <see cref="LbfgsBudget"/> allows
    /// (see <c>SubsampledFit</c>). A least-squares fit of P parameters on N rows of noise σ² has an expected test error
    /// of about σ²(1 + P/N): at 100 rows per parameter that is 1 % above the noise, below what separates a good fit from
    /// a poor one, while each iteration costs 100·P² instead of P·N. Measured on benchmarks/data/friedman8.py's file of
    /// 1e5 rows (8-32-1, P = 321): the test error is 0.0032 with σ² = 0.0025; 1 % of σ² is 3e-5.
    /// </summary>
    public const int SubsampleRowsPerParameter = 100;

    /// <summary>Fewest rows per parameter for a subsample to stand for the data (else Adam runs): 10, where σ²P/N is
    /// still a tenth of the noise.</summary>
    public const int MinSubsampleRowsPerParameter = 10;

    /// <summary>The rows L-BFGS trains on first: <see cref="SubsampleRowsPerParameter"/> per parameter, within the budget.</summary>
    public static int SubsampleRows(long parameters) =>
        (int)Math.Min((long)SubsampleRowsPerParameter * parameters, (long)(LbfgsBudget / Math.Max(1, parameters)));

    /// <summary>Multiply-adds a default lm run may spend (about 2–5 s): its iteration cap is this over one iteration's cost.</summary>
    public const double LmRunBudget = 1e10;
    public const int LmMinSteps = 200, LmMaxSteps = 2000, LbfgsSteps = 3000;

    /// <summary>
    /// lm iterations for a ReLU-family network: its loss is piecewise quadratic in the parameters, so lm converges in
    /// few iterations once the kinks settle, or grinds. Measured on the question's 1-50-10-1 network on ln(x), seeds
    /// 1–10: nine converged in 15–50 iterations; the tenth was still at 2.4e-3 after 200 (2.38e-3 at 50).
    /// </summary>
    public const int PiecewiseLinearLmSteps = 50;
    public const double ValidationShare = 0.15;

    /// <summary>Training loss (normalised units, where the targets' variance is 1) at which NeuralFit's own recipe
    /// stops: a relative RMS error of 1e-5, far below what R² ≥ 0.9999 needs.</summary>
    public const double RecipeLossGoal = 1e-10;

    /// <summary>Validation checks without improvement: one check per lm/lbfgs iteration, one per steps/200 otherwise.</summary>
    public const int WholeBatchPatience = 50, StepPatience = 10;

    /// <summary>Seconds a fit may spend by default growing its network or comparing candidates, unless <c>maxSeconds</c>
    /// sets another budget: long enough for a few stages of Levenberg–Marquardt on thousands of points, short enough
    /// that a target no network of this size can fit (sin(1000x)) says so within half a minute.</summary>
    public const double GrowthSeconds = 30;

    /// <summary>Widest hidden layer NeuralFit tries on a data file: one unit per 20 rows reaches it at 640 rows.</summary>
    public const int MaxDataWidth = 32;

    /// <summary>Iteration cap of a Bayesian-regularised lm fit (MATLAB trainbr's epochs default, 1000): it usually stops
    /// earlier, when the damping passes its maximum or the objective stalls.</summary>
    public const int BayesianSteps = 1000;

    static readonly RunConfig Conventional = new();

    /// <summary>The configuration the engine runs for <paramref name="options"/>: each set value checked as a file's
    /// would be, every null one chosen.</summary>
    public static RunConfig Complete(FitOptions options) => Complete(RunConfig.From(ConfigReader.Check(options)));

    public static RunConfig Complete(RunConfig c)
    {
        if (c.Target is null && c.Data is null)
            throw new InputError("no target: give FitOptions.Target (an expression such as \"ln(x)\") with FitOptions.Domain (lo:hi), or FitOptions.Data (a CSV file)");
        if (c.Target is not null && c.Data is not null)
            throw new InputError("give either a target expression or a data file, not both");
        if (c.Data is null && (c.InputColumns is not null || c.DropColumns.Count > 0))
            throw new InputError("FitOptions.InputColumns and FitOptions.DropColumns choose the columns of a data file: give FitOptions.Data (a CSV file)");
        if (c.BiasInit.Kind == InitKind.NguyenWidrow)
            throw new InputError("FitOptions.BiasInit nguyen-widrow: Nguyen–Widrow is a weight init (FitOptions.Init) that sets the hidden biases too");
        Dataset? data = null;
        if (c.Data is not null)
        {
            if (SetAwayFromConvention(c, "evalDomain")) throw new InputError("FitOptions.EvalDomain does not apply to FitOptions.Data: the fit is evaluated on the test rows (FitOptions.TestFraction)");
            data = Dataset.Load(c);
            // The file's own ranges, which completing sets, are no domain of the user's: a completed configuration (a
            // checkpoint's, a replay's) completes again to itself.
            var ranges = data.Ranges();
            if (SetAwayFromConvention(c, "domain") && !c.Domain.SequenceEqual(ranges))
                throw new InputError("FitOptions.Domain does not apply to FitOptions.Data: the inputs' ranges come from the file");
            c = c with { Domain = ranges };
        }
        if (c.Data is null && c.Folds is not null)
            throw new InputError("FitOptions.Folds applies to FitOptions.Data fits (it chooses the network on K-fold cross-validation of the rows); an expression is judged on its evaluation points");
        if (c.EvalDomain is { } e && e.Count != c.Domain.Count)
            throw new InputError($"FitOptions.EvalDomain gives {e.Count} ranges but FitOptions.Domain gives {c.Domain.Count}: give one per input");

        bool pickSolver = !c.Chosen(o => o.Optimizer);
        int inputs = c.Domain.Count;
        if (!c.Chosen(o => o.Layers) && (pickSolver || c.Optimizer.IsWholeBatch()))
            c = c with { Layers = HiddenLayers(c, data) };
        long parameters = ParameterCount(inputs, c.Layers, c.OutputCount); // no NetworkShape yet: the resource check refuses absurd sizes with an estimate
        bool usersNetwork = c.Chosen(o => o.Layers) || c.Chosen(o => o.Activation);
        int samples = data?.Count ?? (c.Chosen(o => o.Samples) ? c.Samples
            : usersNetwork && inputs == 1 ? OneInputSampleCount(c.Layers) : SampleCount(parameters, inputs));
        if (c.Objective == ObjectiveKind.Minimax)
        {
            if (data is not null) throw new InputError("FitOptions.Objective minimax fits the largest error of an expression; on a data file it would fit the noise of its worst rows: leave the objective at mse");
            if (!pickSolver && c.Optimizer != OptimizerKind.Lm)
                throw new InputError($"FitOptions.Objective minimax reweights Levenberg–Marquardt's least squares (Lawson's algorithm); use it with FitOptions.Optimizer lm, or leave the optimizer to NeuralFit, not {c.Optimizer.Name()}");
            if (c.Regularization == RegularizationKind.Bayesian)
                throw new InputError("FitOptions.Objective minimax and FitOptions.Regularization bayesian pull against each other (the largest error against the evidence of all of them): choose one");
        }
        // lm's cost grows with the residuals, one per sample and output
        if (pickSolver) c = c with { Optimizer = c.Objective == ObjectiveKind.Minimax ? OptimizerKind.Lm : Solver(parameters, samples * c.OutputCount, subsample: data is not null) };
        bool wholeBatch = c.Optimizer.IsWholeBatch();

        if (!c.Chosen(o => o.Precision) && wholeBatch) c = c with { Precision = Precision.Float64 };
        if (!c.Chosen(o => o.Normalize) && !c.Chosen(o => o.Init)) c = c with { Normalize = NormalizeMode.Both };
        if (!c.Chosen(o => o.Init) && wholeBatch && InputsOnUnitBox(c)) c = c with { Init = new InitSpec(InitKind.NguyenWidrow) };
        if (data is null) c = CompleteSampling(c, samples, wholeBatch, usersNetwork);
        if (!c.Chosen(o => o.Steps) && wholeBatch) c = c with { Steps = SolverSteps(c, samples) };
        if (!c.Chosen(o => o.LossGoal) && pickSolver) c = c with { LossGoal = RecipeLossGoal };
        // Bayesian regularisation guards against overfitting itself, from all the training data (as trainbr, which turns validation stops off).
        if ((pickSolver || data is not null) && c.Regularization != RegularizationKind.Bayesian)
        {
            if (!c.Chosen(o => o.ValidationFraction)) c = c with { ValidationFraction = ValidationShare };
            if (!c.Chosen(o => o.EarlyStopping) && c.ValidationFraction > 0 && data is not null) c = c with { EarlyStopping = wholeBatch ? WholeBatchPatience : StepPatience };
        }
        if (c.Regularization == RegularizationKind.Bayesian && c.Optimizer != OptimizerKind.Lm)
            throw new InputError($"FitOptions.Regularization bayesian re-estimates Levenberg–Marquardt's weight penalty; use it with FitOptions.Optimizer lm, not {c.Optimizer.Name()}");
        return CompleteSubsample(c, data, parameters, pickSolver);
    }

    /// <summary>
    /// The rows L-BFGS trains on first (<c>SubsampledFit</c>): when NeuralFit chose L-BFGS for a data file whose training
    /// rows cost more than <see cref="LbfgsBudget"/> an iteration, <see cref="SubsampleRows"/>; else none. Set in the
    /// completed configuration, so a saved one reruns the same two stages. Given, it applies to L-BFGS on a data file only.
    /// </summary>
    static RunConfig CompleteSubsample(RunConfig c, Dataset? data, long parameters, bool pickSolver)
    {
        if (c.Chosen(o => o.Subsample))
        {
            if (c.Subsample > 0 && (data is null || c.Optimizer != OptimizerKind.Lbfgs))
                throw new InputError($"FitOptions.Subsample trains L-BFGS on part of a data file's rows first; it applies to FitOptions.Optimizer lbfgs on FitOptions.Data, not {(data is null ? "an expression" : c.Optimizer.Name())}");
            return c;
        }
        if (data is null || !pickSolver || c.Optimizer != OptimizerKind.Lbfgs) return c;
        int rest = data.Count - (int)Math.Round(c.TestFraction * data.Count);
        int training = rest - (int)Math.Round(c.ValidationFraction * rest);
        int rows = SubsampleRows(parameters);
        return (double)parameters * data.Count > LbfgsBudget && training > rows ? c with { Subsample = rows } : c;
    }

    /// <summary>Given, or set to something other than the conventional value: what a data file cannot take along.</summary>
    static bool SetAwayFromConvention(RunConfig c, string key)
    {
        if (c.IsGiven(key)) return true;
        var setting = Settings.ByKey[key];
        return !System.Text.Json.Nodes.JsonNode.DeepEquals(setting.Effective(c), setting.Effective(Conventional));
    }

    /// <summary>
    /// One hidden layer with a tanh unit for every Chebyshev point the target needs, times the number of inputs (a
    /// unit varies along one direction only); at least 8, at most 64. Measured on steep, oscillating and singular
    /// targets: an oscillating target has about seven Chebyshev points per period, and with fewer units than that
    /// Levenberg–Marquardt settles in a local minimum from some seeds (sin(20x) on [0, 3]: 1 seed in 4 with 32 units,
    /// 1 in 2 with 50; 0 in 9 with 64). Wider networks cost little more here, because each run has a fixed budget of
    /// work (<see cref="LmRunBudget"/>). For a data file, which has no function to measure, one unit
    /// per 20 rows, 8 to 32.
    /// </summary>
    public static int HiddenWidth(RunConfig c, Dataset? data)
    {
        if (data is not null) return Math.Clamp(data.Count / 20, 8, MaxDataWidth);
        int inputs = c.Domain.Count;
        // several targets share the hidden layer: as wide as the most detailed of them asks
        int resolution = c.TargetExpressions.Max(t => TargetResolution.Measure(new ExpressionTarget(t, inputs), c.Domain));
        return Math.Clamp(inputs * (resolution + 1), 8, 64);
    }

    /// <summary>
    /// One tanh layer (<see cref="HiddenWidth"/>) for one or two inputs; two equal layers from three inputs on, with
    /// about as many parameters as the one layer would have: w² + (d + 2)w = h(d + 2) for h units of one layer. A target
    /// of several inputs is mostly built from products, quotients and functions of sums of its inputs, which a second
    /// layer composes from the first layer's ridge functions, where one layer needs many more of them (measured on
    /// AI Feynman equations of 4–6 inputs, lm on 5 points per parameter: one layer of 64 units leaves 1 − R² at
    /// 2e-6…2e-4, two of 17 at 2e-8…2e-6 in the same time). A two-input target gets its second layer only if it needs
    /// it (see <c>Growth</c>).
    /// </summary>
    public static IReadOnlyList<int> HiddenLayers(RunConfig c, Dataset? data)
    {
        int width = HiddenWidth(c, data);
        int inputs = c.Domain.Count;
        if (data is not null || inputs < 3) return [width];
        int second = TwoLayerWidth(width, inputs);
        return [second, second];
    }

    /// <summary>The width w of two equal tanh layers with about as many parameters as one layer of <paramref name="oneLayer"/> units.</summary>
    public static int TwoLayerWidth(int oneLayer, int inputs)
    {
        double b = inputs + 2, w = (-b + Math.Sqrt(b * b + 4 * oneLayer * b)) / 2;
        return Math.Clamp((int)Math.Round(w), 8, 64);
    }

    /// <summary>Iterations of a whole-batch solver: L-BFGS's fixed cap; for lm, <see cref="PiecewiseLinearLmSteps"/> for a
    /// ReLU-family network fitting the mean square (minimax's reweighting rounds need more), else <see cref="LmStepsFor"/>.</summary>
    public static int SolverSteps(RunConfig c, int samples) =>
        c.Optimizer != OptimizerKind.Lm ? LbfgsSteps
        : c.Activation.IsReluFamily() && c.Objective == ObjectiveKind.Mse ? PiecewiseLinearLmSteps
        : LmStepsFor(c, samples);

    /// <summary>The iteration cap of a default lm run: <see cref="LmRunBudget"/> over the cost of one iteration, the
    /// normal equations (P²/2 per sample) and about five passes through the network.</summary>
    public static int LmStepsFor(RunConfig c, int samples)
    {
        var shape = new NetworkShape(c.Domain.Count, c.Layers, c.OutputCount, c.Activation);
        // each output adds a residual per sample: a row of the Jacobian and a pass of the normal equations
        double perIteration = (double)samples * c.OutputCount * (shape.ParameterCount * (shape.ParameterCount / 2.0 + 5) + 100.0 * shape.Hidden.Sum());
        return (int)Math.Clamp(LmRunBudget / perIteration, LmMinSteps, LmMaxSteps);
    }

    /// <summary>
    /// Five training samples per parameter, at least 1024 and at most 4000. Five per parameter pin the fit down between
    /// samples (measured on the targets in <see cref="HiddenWidth"/>'s note, ten fitted no better and took twice as
    /// long); at least about the evaluation grid's 1000 points, so a small network fitted to 1e-5 is not judged between
    /// samples it never saw (1-20-1 tanh on ln(x): 1.7e-5 max error from 305 points, 1.4e-6 from 1024). 1024 rather than
    /// 1000, so that a training grid does not sit on the evaluation grid.
    /// </summary>
    public static int SampleCount(long parameters, int inputs) => (int)Math.Clamp(Math.Max(5 * parameters, 1024), 1024, 4000);

    public static long ParameterCount(int inputs, IReadOnlyList<int> hidden, int outputs = 1)
    {
        long total = 0, previous = inputs;
        foreach (long width in hidden.Append(outputs))
        {
            total += previous * width + width;
            previous = width;
        }
        return total;
    }

    /// <param name="subsample">A data file's rows, which L-BFGS may train on a subsample of first and then on all of
    /// (<c>SubsampledFit</c>): L-BFGS then runs beyond <see cref="LbfgsBudget"/> while the subsample holds
    /// <see cref="MinSubsampleRowsPerParameter"/> rows per parameter.</param>
    public static OptimizerKind Solver(long parameters, int samples, bool subsample = false) =>
        (double)parameters * parameters * samples / 2 <= LmBudget ? OptimizerKind.Lm
        : (double)parameters * samples <= LbfgsBudget ? OptimizerKind.Lbfgs
        : subsample && SubsampleRows(parameters) >= MinSubsampleRowsPerParameter * parameters ? OptimizerKind.Lbfgs
        : OptimizerKind.Adam;

    static bool InputsOnUnitBox(RunConfig c) =>
        c.Normalize is NormalizeMode.Inputs or NormalizeMode.Both && c.Normalizer is NormalizerKind.Auto or NormalizerKind.MinMax;

    /// <summary>
    /// Points for one input of a network the user fixed: 20 per hidden unit, at least 1024 and at most 4000. A network of
    /// one input is a curve with a bend or so per unit (a kink per ReLU unit); about 20 points per bend pin each piece
    /// down, and 1024 match the evaluation grid's resolution. Five per parameter (<see cref="SampleCount"/>) would
    /// give the question's 1-50-10-1 network 3105 points, three times the cost of each lm iteration for no better fit.
    /// </summary>
    static int OneInputSampleCount(IReadOnlyList<int> layers) => Math.Clamp(20 * layers.Sum(), 1024, 4000);

    /// <summary>
    /// One input whose target asks for points very unevenly (√|f''| varies <see cref="Sampling.CurvaturePoints.WorthwhileContrast"/>
    /// times or more over the domain, ln(x) on [0.01, 1]: 100 times): a network the user fixed then gets its points
    /// spaced by the curvature (<see cref="Sampling.CurvaturePoints"/>, log spacing for ln) rather than evenly. NeuralFit's own
    /// tanh networks keep the even grid, which they fit to 1e-5 of the range anyway.
    /// </summary>
    static bool BendsUnevenly(RunConfig c)
    {
        if (c.Domain.Count != 1 || c.Target is null || c.Targets is not null) return false;
        var target = new ExpressionTarget(c.Target, 1);
        var x = new double[1];
        var y = new double[1];
        var density = Sampling.CurvaturePoints.Density(v => { x[0] = v; target.Evaluate(x, y); return y[0]; }, c.Domain[0]);
        return density is not null && Sampling.CurvaturePoints.Contrast(density) >= Sampling.CurvaturePoints.WorthwhileContrast;
    }

    /// <summary>
    /// An even grid for one or two inputs; for three or more, uniform random points,
    /// because a grid of n points has only n^(1/d) values per input and leaves the function free between its planes.
    /// lbfgs and lm cannot use fresh batches.
    /// </summary>
    static RunConfig CompleteSampling(RunConfig c, int samples, bool wholeBatch, bool usersNetwork)
    {
        if (!c.Chosen(o => o.Sampler) && (wholeBatch || !c.Chosen(o => o.Optimizer)))
            c = c with { Sampler = c.Domain.Count <= 2 ? SamplerKind.Grid : SamplerKind.Uniform };
        if (!c.Chosen(o => o.Sampler) && c.Sampler == SamplerKind.Grid && usersNetwork && BendsUnevenly(c))
            c = c with { Sampler = SamplerKind.Curvature };
        if (wholeBatch && c.Sampler == SamplerKind.FreshUniform) c = c with { Sampler = SamplerKind.Uniform };
        if (!c.Chosen(o => o.Samples) && c.Sampler != SamplerKind.FreshUniform && (wholeBatch || !c.Chosen(o => o.Optimizer)))
            c = c with { Samples = samples };
        return c;
    }
}
