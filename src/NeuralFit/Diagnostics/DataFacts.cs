using NeuralFit.Preprocessing;
using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Diagnostics;

/// <summary>Moments of one column: as the user gave it, and as the network sees it after normalisation.</summary>
internal sealed record ColumnFacts(double Mean, double Std, double FedMean, double FedStd, bool Normalized);

/// <summary>What the data look like, measured before training: scales, tails, non-finite points, the best line.</summary>
internal sealed record DataFacts
{
    public required ColumnFacts[] Inputs { get; init; }
    public required ColumnFacts Target { get; init; }

    /// <summary>Share of the targets' total squared deviation carried by the 1 % of samples farthest from the mean.</summary>
    public required double TopPercentShare { get; init; }

    /// <summary>Samples in the fixed training set (for fresh sampling, the size of the reference sample).</summary>
    public required int TrainingSamples { get; init; }

    /// <summary>Training points left out (fixed sets) because the target was not finite there.</summary>
    public required int DroppedTrainingPoints { get; init; }

    /// <summary>Domain points (grid and corners) where the target is not finite, with one example.</summary>
    public required int NonFiniteDomainPoints { get; init; }
    public required double[]? NonFiniteExample { get; init; }
    public required int NonFiniteEvaluationPoints { get; init; }

    /// <summary>MSE on the evaluation set of the least-squares affine function of the inputs, fitted on the training data.</summary>
    public required double BestLineMse { get; init; }

    /// <summary>The standard deviation of the finite targets of the evaluation set.</summary>
    public required double EvaluationSpread { get; init; }

    public static DataFacts Measure(Problem p)
    {
        var t = p.Training;
        var inputs = new ColumnFacts[p.InputCount];
        for (int j = 0; j < p.InputCount; j++)
        {
            var (mean, std, _) = AffineMap.Moments(t.X.Span, p.InputCount, j);
            var map = p.Normalization.Inputs[j];
            inputs[j] = new ColumnFacts(mean, std, map.Forward(mean), std / map.Scale, !map.IsIdentity);
        }
        var (yMean, yStd, _) = AffineMap.Moments(t.Y.Span);
        var ymap = p.Normalization.Target;
        var (bad, example) = NonFiniteOnDomain(p);
        return new DataFacts
        {
            Inputs = inputs,
            Target = new ColumnFacts(yMean, yStd, ymap.Forward(yMean), yStd / ymap.Scale, !ymap.IsIdentity),
            TopPercentShare = TopShare(t.Y.ToArray(), yMean),
            TrainingSamples = t.Count,
            DroppedTrainingPoints = p.DroppedTrainingPoints,
            NonFiniteDomainPoints = bad,
            NonFiniteExample = example,
            NonFiniteEvaluationPoints = p.EvaluationSet.Y.ToArray().Count(y => !double.IsFinite(y)),
            BestLineMse = NeuralFit.Evaluation.LeastSquares.AffineMse(p.Training, p.EvaluationSet),
            EvaluationSpread = AffineMap.Moments(p.EvaluationSet.Y.Span).Std,
        };
    }

    /// <summary>Needs 100 samples or more, so that "the top 1 %" is at least one whole sample; 0 below that.</summary>
    static double TopShare(double[] y, double mean)
    {
        var sq = y.Where(double.IsFinite).Select(v => (v - mean) * (v - mean)).OrderDescending().ToArray();
        if (sq.Length < 100) return 0;
        double total = sq.Sum();
        int top = Math.Max(1, sq.Length / 100);
        return total > 0 ? sq.Take(top).Sum() / total : 0;
    }

    /// <summary>The target on a fine grid over the domain, including every corner.</summary>
    static (int Count, double[]? Example) NonFiniteOnDomain(Problem p)
    {
        var x = PointSets.Grid(p.Domain, p.InputCount == 1 ? 4097 : 4096);
        var y = new double[x.Length / p.InputCount];
        p.Function.Evaluate(x, y);
        int bad = 0;
        double[]? example = null;
        for (int i = 0; i < y.Length; i++)
        {
            if (double.IsFinite(y[i])) continue;
            bad++;
            example ??= x.AsSpan(i * p.InputCount, p.InputCount).ToArray();
        }
        return (bad, example);
    }
}
