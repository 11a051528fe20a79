using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Targets;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Fitting;

/// <summary>
/// What is being fitted, made concrete: the target, the training data (or, with fresh sampling, a reference sample
/// of it), validation data, the evaluation set, and the normalisation fitted on the training data.
/// </summary>
internal sealed class Problem
{
    /// <summary>Size of the sample that stands for freshly drawn data when fitting the normaliser.</summary>
    const int ReferenceSampleSize = 4096;

    public required ITargetFunction Function { get; init; }
    public required IReadOnlyList<Interval> Domain { get; init; }
    public required bool FreshSampling { get; init; }

    /// <summary>The fixed training set, or a reference sample of the fresh batches' distribution.</summary>
    public required SampleSet Training { get; init; }
    public required SampleSet Validation { get; init; }
    public required SampleSet EvaluationSet { get; init; }
    public required string EvaluationLabel { get; init; }

    /// <summary>How the evaluation points were placed: "grid" (1–2 inputs), "sobol" (3 or more), "rows" (a data file's test rows).</summary>
    public string EvaluationSampling { get; init; } = EvaluationSamplings.Grid;

    /// <summary>The evaluation points the history's learning curve is measured on: all of a grid or of a data file's
    /// test rows, the first <see cref="LearningCurvePoints"/> of a Sobol set (themselves evenly spread), so that
    /// measuring it 200 times in a run costs little.</summary>
    public SampleSet LearningCurveSet => EvaluationSampling == EvaluationSamplings.Sobol && EvaluationSet.Count > LearningCurvePoints
        ? EvaluationSet.Select(Enumerable.Range(0, LearningCurvePoints))
        : EvaluationSet;

    public const int LearningCurvePoints = 2048;

    /// <summary>
    /// Fewest evaluation points for three or more inputs: 2^14 Sobol points. A grid of 1000 points over six inputs has 3
    /// values per input, so only corners and midpoints count; 2^14 Sobol points put one point in each of 2^14 slabs
    /// along every input, and estimate a mean square to about 1 % (1/√N) of itself for smooth errors.
    /// </summary>
    public const int SpaceFillingPoints = 16384;
    public required Normalization Normalization { get; init; }

    /// <summary>Training points left out because their target was not finite.</summary>
    public int DroppedTrainingPoints { get; init; }

    public int InputCount => Domain.Count;

    /// <summary>Targets per point: one per target expression or target column.</summary>
    public int OutputCount => Training.Outputs;

    /// <summary>The inputs' names: x, or x1..xn, or a data file's column names.</summary>
    public IReadOnlyList<string> InputNames { get; init; } = [];
    public string TargetName { get; init; } = "y";

    /// <summary>The outputs' names, one per output: <see cref="TargetName"/> alone, y1..yk for several expressions, or a
    /// data file's target columns.</summary>
    public IReadOnlyList<string> TargetNames
    {
        get => _targetNames ?? [TargetName];
        init => _targetNames = value.ToArray();
    }

    string[]? _targetNames;

    /// <summary>y for one output, else y1..yk, as several target expressions' outputs are named.</summary>
    public static string[] ExpressionOutputNames(int outputs) =>
        outputs == 1 ? ["y"] : Enumerable.Range(1, outputs).Select(i => $"y{i}").ToArray();

    /// <summary>What reading the data file decided that the user should hear of.</summary>
    public IReadOnlyList<string> DataNotes { get; init; } = [];

    /// <summary>The samples came from a data file; <see cref="Function"/> then only stands in for them (nearest sample).</summary>
    public bool IsDataset { get; init; }

    /// <summary>x for one input, else x1..xn, as expressions name them.</summary>
    public static string[] ExpressionInputNames(int inputs) =>
        inputs == 1 ? ["x"] : Enumerable.Range(1, inputs).Select(i => $"x{i}").ToArray();

    public static Problem Create(RunConfig config)
    {
        if (config.Data is not null) return FromDataset(config, Dataset.Load(config));
        if (config.Target is null) throw new InputError("no target: give FitOptions.Target (an expression such as \"ln(x)\") with FitOptions.Domain (lo:hi), or FitOptions.Data (a CSV file)");
        var function = new ExpressionTarget(config.TargetExpressions, config.InputCount);
        int outputs = function.OutputCount;
        var domain = config.Domain;

        bool fresh = config.Sampler == SamplerKind.FreshUniform;
        var x = config.Sampler switch
        {
            SamplerKind.FreshUniform => PointSets.Uniform(domain, ReferenceSampleSize, RandomStreams.TrainingSet(config.Seed)),
            SamplerKind.Uniform => PointSets.Uniform(domain, config.Samples, RandomStreams.TrainingSet(config.Seed)),
            SamplerKind.LogUniform => PointSets.LogUniform(domain, config.Samples, RandomStreams.TrainingSet(config.Seed)),
            SamplerKind.Grid => PointSets.Grid(domain, config.Samples),
            SamplerKind.Chebyshev => PointSets.Chebyshev(domain, config.Samples),
            SamplerKind.LogGrid => PointSets.LogGrid(domain, config.Samples),
            SamplerKind.Curvature => CurvatureSample(function, domain, config.Samples),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };
        var all = Sample(function, x);
        var (training, dropped) = all.WithoutNonFinite();
        if (training.Count == 0)
            throw new InputError($"target '{config.Target}' is not finite at any training point in {string.Join(", ", domain)}");

        var validation = SampleSet.Empty(domain.Count, outputs);
        // An expression can be sampled anywhere, so validation points are drawn afresh (uniformly, like the
        // evaluation grid) rather than taken out of the training set, which would leave holes in a grid.
        if (config.ValidationFraction > 0)
        {
            int count = Math.Max(fresh ? 256 : 64, (int)Math.Round(config.ValidationFraction * config.Samples));
            validation = Sample(function, PointSets.Uniform(domain, count, RandomStreams.Split(config.Seed))).WithoutNonFinite().Finite;
        }

        var evalDomain = config.EffectiveEvalDomain;
        bool spaceFilling = evalDomain.Count >= 3;
        var evaluation = Sample(function, spaceFilling
            ? PointSets.Sobol(evalDomain, Math.Max(config.EvalPoints, SpaceFillingPoints))
            : PointSets.Grid(evalDomain, config.EvalPoints));
        return new Problem
        {
            Function = function,
            Domain = domain,
            FreshSampling = fresh,
            Training = training,
            Validation = validation,
            EvaluationSet = evaluation,
            EvaluationLabel = evalDomain.Count == 1 ? evalDomain[0].ToString() : string.Join(",", evalDomain),
            EvaluationSampling = spaceFilling ? EvaluationSamplings.Sobol : EvaluationSamplings.Grid,
            EvaluationDomain = evalDomain,
            Normalization = Normalization.Fit(config.Normalize, config.Normalizer, training.X.Span, domain.Count, training.Y.Span, outputs),
            DroppedTrainingPoints = fresh ? 0 : dropped,
            InputNames = ExpressionInputNames(domain.Count),
            TargetNames = ExpressionOutputNames(outputs),
        };
    }

    /// <summary>Points spaced by the target's curvature (<see cref="CurvaturePoints"/>): one input only.</summary>
    static double[] CurvatureSample(ITargetFunction f, IReadOnlyList<Interval> domain, int n)
    {
        if (domain.Count != 1) throw new InputError($"sampler curvature spaces the points of one input by the target's curvature; this target has {domain.Count} inputs: use grid or uniform");
        if (f.OutputCount != 1) throw new InputError($"sampler curvature spaces the points by one target's curvature; there are {f.OutputCount} targets: use grid or chebyshev");
        var x = new double[1];
        var y = new double[1];
        var density = CurvaturePoints.Density(v => { x[0] = v; f.Evaluate(x, y); return y[0]; }, domain[0])
            ?? throw new InputError($"sampler curvature: the target is not finite everywhere on {domain[0]}, so its curvature cannot space the points; use grid");
        return CurvaturePoints.Points(density, domain[0], n);
    }

    /// <summary>
    /// A data file's rows: a test share is held out first (the evaluation is measured on it), then a validation
    /// share of the rest; the network trains on what remains. The shares are views of the data set's one store of
    /// rows (<see cref="DataRows"/>), not copies.
    /// </summary>
    public static Problem FromDataset(RunConfig config, Dataset data)
    {
        // Its samples are rows picked by their place in the file: picked before the split moves the rows, they are copied
        // straight from the store, without working out where each file row went (DataRows.Select).
        var function = new NearestSampleTarget(data);
        var (training, validation, test) = SplitRows(config, data);
        if (training.Count == 0)
            throw new InputError($"{data.Source} has {data.Count} rows: none would be left to train on after the test ({config.TestFraction}) and validation ({config.ValidationFraction}) shares; lower FitOptions.TestFraction or FitOptions.ValidationFraction");
        bool tested = test.Count > 0;
        return new Problem
        {
            Function = function,
            Domain = data.Ranges(),
            FreshSampling = false,
            Training = training,
            Validation = validation,
            EvaluationSet = tested ? test : training,
            EvaluationLabel = tested ? "test set" : "training set",
            EvaluationSampling = EvaluationSamplings.Rows,
            EvaluationDomain = data.Ranges(),
            Normalization = Normalization.Fit(config.Normalize, config.Normalizer, training.X.Span, data.InputCount, training.Y.Span, data.OutputCount),
            InputNames = data.InputNames,
            TargetName = data.TargetName,
            TargetNames = data.TargetNames,
            IsDataset = true,
            DataNotes = data.Notes,
        };
    }

    /// <summary>A data set's training, validation and test rows for a configuration (<see cref="DataRows.Split"/>).</summary>
    public static RowSplit SplitRows(RunConfig config, Dataset data) => data.Rows.Split(config.TestFraction, config.ValidationFraction,
        config.Seed, RandomStreams.TestSplit(config.Seed), RandomStreams.Split(config.Seed));

    /// <summary>
    /// How well a model fits, in the user's units, on the evaluation set; with Sobol sampling the largest error is
    /// then looked for between the points too (<see cref="WorstPointSearch"/>, for one output).
    /// </summary>
    public Evaluation.Evaluation Evaluate(Networks.FittedModel model)
    {
        var prediction = model.Predict(EvaluationSet.X.Span);
        var e = Metrics.Compare(EvaluationSet, prediction, EvaluationLabel, TargetNames) with { Sampling = EvaluationSampling };
        if (EvaluationSampling != EvaluationSamplings.Sobol || IsDataset || OutputCount > 1) return e;
        var error = new double[EvaluationSet.Count];
        for (int i = 0; i < error.Length; i++) error[i] = Math.Abs(prediction[i] - EvaluationSet.Y.Span[i]);
        var found = WorstPointSearch.Run(Function, model, EvaluationDomain, EvaluationSet.X.Span, error);
        e = e with { SearchedPoints = found.PointsTried };
        return found.AbsError > e.MaxAbsError ? e with { MaxAbsError = found.AbsError, WorstInput = found.X } : e;
    }

    /// <summary>The ranges the evaluation points lie in (evalDomain, else the domain).</summary>
    public IReadOnlyList<Interval> EvaluationDomain { get; init; } = [];

    /// <summary>The same problem with more training points (a growing fit's next stage): the normaliser is kept, so a
    /// network trained on the old points means the same on the new set and can go on from where it was.</summary>
    public Problem WithMoreTraining(SampleSet extra) => WithRows(Training.Concat(extra), Validation);

    /// <summary>The same problem on a random part of its rows: <paramref name="trainingRows"/> training rows and the same
    /// share of the validation rows, chosen by <paramref name="rng"/> and kept in their order. The normaliser, the
    /// evaluation set and the names are kept, so a network trained on the part means the same on the whole and can go
    /// on from where it was (<see cref="SubsampledFit"/>).</summary>
    public Problem Subsample(int trainingRows, Rng rng)
    {
        double share = Math.Min(1.0, (double)trainingRows / Training.Count);
        var training = Part(Training, share, rng);
        var validation = Validation.Count == 0 ? Validation : Part(Validation, share, rng);
        return WithRows(training, validation);

        // the rows SplitOff would split off, copied alone: the rest stay where they are
        static SampleSet Part(SampleSet rows, double share, Rng rng) => rows.Select(SampleSet.ChosenIndices(rows.Count, share, rng));
    }

    /// <summary>This problem with other training and validation rows and everything else kept.</summary>
    Problem WithRows(SampleSet training, SampleSet validation) => new()
    {
        Function = Function,
        Domain = Domain,
        FreshSampling = FreshSampling,
        Training = training,
        Validation = validation,
        EvaluationSet = EvaluationSet,
        EvaluationLabel = EvaluationLabel,
        EvaluationSampling = EvaluationSampling,
        EvaluationDomain = EvaluationDomain,
        Normalization = Normalization,
        DroppedTrainingPoints = DroppedTrainingPoints,
        InputNames = InputNames,
        TargetName = TargetName,
        TargetNames = TargetNames,
        DataNotes = DataNotes,
        IsDataset = IsDataset,
    };

    /// <summary>A point to show in a progress line: a random point of the domain where the target is finite, or, for
    /// a data file, which has no function to ask between its rows, one of its training rows (with several outputs, the
    /// first output's target).</summary>
    public (double[] X, double Y) DisplayPoint(Rng rng)
    {
        if (IsDataset)
        {
            int row = rng.NextInt(Training.Count);
            return (Training.Row(row).ToArray(), Training.Targets(row)[0]);
        }
        var x = new double[InputCount];
        var y = new double[OutputCount];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            PointSets.FillUniform(Domain, x, rng);
            Function.Evaluate(x, y);
            if (double.IsFinite(y[0])) break;
        }
        return (x, y[0]);
    }

    /// <summary>The function's values at these points (row-major), in a sample set.</summary>
    public static SampleSet Sample(ITargetFunction f, double[] x)
    {
        var y = new double[x.Length / f.InputCount * f.OutputCount];
        f.Evaluate(x, y);
        return new SampleSet(x, y, f.InputCount, f.OutputCount);
    }
}
