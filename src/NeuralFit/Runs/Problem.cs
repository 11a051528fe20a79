using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Targets;

namespace NeuralFit.Runs;

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

    public static Problem Create(RunConfig config)
    {
        if (config.Data is not null)
            throw new InputError("--data: datasets are read by a later version; give --target and --domain");
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
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };
        var all = Sample(function, x);
        var (training, dropped) = all.WithoutNonFinite();
        if (training.Count == 0)
            throw new InputError($"target '{config.Target}' is not finite at any training point in {string.Join(", ", domain)}");

        var validation = SampleSet.Empty(domain.Count);
        if (config.ValidationFraction > 0)
        {
            if (fresh)
                validation = Sample(function, PointSets.Uniform(domain, Math.Max(256, (int)(config.ValidationFraction * config.Samples)), RandomStreams.Split(config.Seed))).WithoutNonFinite().Finite;
            else
                (training, validation) = training.SplitOff(config.ValidationFraction, RandomStreams.Split(config.Seed));
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
            Normalization = Normalization.Fit(config.Normalize, training.X, domain.Count, training.Y),
            DroppedTrainingPoints = fresh ? 0 : dropped,
        };
    }

    static SampleSet Sample(ITargetFunction f, double[] x)
    {
        var y = new double[x.Length / f.InputCount];
        f.Evaluate(x, y);
        return new SampleSet(x, y, f.InputCount);
    }
}
