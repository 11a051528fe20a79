using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Targets;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Fitting;

/// <summary>
/// What is being fitted, made concrete: the target, the training data (or, with fresh sampling, a reference sample
/// of it), validation data, the evaluation set, and the normalisation fitted on the training data.
/// </summary>
public sealed class Problem
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
    public required Normalization Normalization { get; init; }

    /// <summary>Training points left out because their target was not finite.</summary>
    public int DroppedTrainingPoints { get; init; }

    public int InputCount => Domain.Count;

    /// <summary>The inputs' names: x, or x1..xn, or a data file's column names.</summary>
    public IReadOnlyList<string> InputNames { get; init; } = [];
    public string TargetName { get; init; } = "y";

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
        if (config.Target is null) throw new InputError("no target: give --target \"expression\" (and --domain lo:hi), or a config file with \"target\"");
        var function = new ExpressionTarget(config.Target, config.InputCount);
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
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };
        var all = Sample(function, x);
        var (training, dropped) = all.WithoutNonFinite();
        if (training.Count == 0)
            throw new InputError($"target '{config.Target}' is not finite at any training point in {string.Join(", ", domain)}");

        var validation = SampleSet.Empty(domain.Count);
        // An expression can be sampled anywhere, so validation points are drawn afresh (uniformly, like the
        // evaluation grid) rather than taken out of the training set, which would leave holes in a grid.
        if (config.ValidationFraction > 0)
        {
            int count = Math.Max(fresh ? 256 : 64, (int)Math.Round(config.ValidationFraction * config.Samples));
            validation = Sample(function, PointSets.Uniform(domain, count, RandomStreams.Split(config.Seed))).WithoutNonFinite().Finite;
        }

        var evalDomain = config.EffectiveEvalDomain;
        var evaluation = Sample(function, PointSets.Grid(evalDomain, config.EvalPoints));
        return new Problem
        {
            Function = function,
            Domain = domain,
            FreshSampling = fresh,
            Training = training,
            Validation = validation,
            EvaluationSet = evaluation,
            EvaluationLabel = evalDomain.Count == 1 ? evalDomain[0].ToString() : string.Join(",", evalDomain),
            Normalization = Normalization.Fit(config.Normalize, config.Normalizer, training.X, domain.Count, training.Y),
            DroppedTrainingPoints = fresh ? 0 : dropped,
            InputNames = ExpressionInputNames(domain.Count),
        };
    }

    /// <summary>
    /// A data file's rows: a test share is held out first (the evaluation is measured on it), then a validation
    /// share of the rest; the network trains on what remains.
    /// </summary>
    public static Problem FromDataset(RunConfig config, Dataset data)
    {
        var (rest, test) = data.Samples.SplitOff(config.TestFraction, RandomStreams.TestSplit(config.Seed));
        var (training, validation) = config.ValidationFraction > 0
            ? rest.SplitOff(config.ValidationFraction, RandomStreams.Split(config.Seed))
            : (rest, SampleSet.Empty(data.InputCount));
        if (training.Count == 0)
            throw new InputError($"{data.Source} has {data.Samples.Count} rows: none would be left to train on after the test ({config.TestFraction}) and validation ({config.ValidationFraction}) shares; lower --test or --validation");
        bool tested = test.Count > 0;
        return new Problem
        {
            Function = new NearestSampleTarget(data),
            Domain = data.Ranges(),
            FreshSampling = false,
            Training = training,
            Validation = validation,
            EvaluationSet = tested ? test : training,
            EvaluationLabel = tested ? "test set" : "training set",
            Normalization = Normalization.Fit(config.Normalize, config.Normalizer, training.X, data.InputCount, training.Y),
            InputNames = data.InputNames,
            TargetName = data.TargetName,
            IsDataset = true,
            DataNotes = data.Notes,
        };
    }

    /// <summary>A point to show in a progress line: a random point of the domain where the target is finite, or, for
    /// a data file, which has no function to ask between its rows, one of its training rows.</summary>
    public (double[] X, double Y) DisplayPoint(Rng rng)
    {
        if (IsDataset)
        {
            int row = rng.NextInt(Training.Count);
            return (Training.Row(row).ToArray(), Training.Y[row]);
        }
        var x = new double[InputCount];
        var y = new double[1];
        for (int attempt = 0; attempt < 100; attempt++)
        {
            PointSets.FillUniform(Domain, x, rng);
            Function.Evaluate(x, y);
            if (double.IsFinite(y[0])) break;
        }
        return (x, y[0]);
    }

    static SampleSet Sample(ITargetFunction f, double[] x)
    {
        var y = new double[x.Length / f.InputCount];
        f.Evaluate(x, y);
        return new SampleSet(x, y, f.InputCount);
    }
}
