using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Targets;

namespace NeuralFit.Fitting;

/// <summary>
/// New training points where a model's error is, as adaptive quadrature and mesh refinement spend theirs. With one
/// input: the midpoints of the gaps between training points where the model errs most (each gap judged at its
/// midpoint), so the refinement follows the points' own spacing (log-spaced points are refined in log space). With
/// several: a uniform pool four times larger is drawn, and points are kept with probability proportional to
/// |error| + mean |error| by systematic sampling (one uniform offset, then evenly spaced picks along the cumulative
/// weights: Kitagawa 1996), so at least half of them still spread over the whole domain while the rest crowd where
/// the fit is worst.
/// </summary>
internal static class ErrorDirectedPoints
{
    const int PoolFactor = 4;

    /// <param name="training">The points the model was trained on: with one input, their gaps are refined.</param>
    public static SampleSet Draw(ITargetFunction target, FittedModel model, IReadOnlyList<Interval> domain, int count, Rng rng, SampleSet? training = null)
    {
        if (count <= 0) return SampleSet.Empty(domain.Count);
        int d = domain.Count;
        if (d == 1 && training is { Count: > 1 }) return Midpoints(target, model, training, count);
        var pool = Problem.Sample(target, PointSets.Uniform(domain, PoolFactor * count, rng)).WithoutNonFinite().Finite;
        if (pool.Count == 0) return SampleSet.Empty(d);
        var prediction = model.Predict(pool.X.Span);
        var weight = new double[pool.Count];
        double sum = 0;
        for (int i = 0; i < pool.Count; i++)
        {
            double e = Math.Abs(prediction[i] - pool.Y.Span[i]);
            weight[i] = double.IsFinite(e) ? e : 0;
            sum += weight[i];
        }
        double floor = sum / pool.Count;
        for (int i = 0; i < pool.Count; i++) weight[i] += floor > 0 ? floor : 1;
        double total = weight.Sum(), step = total / count, next = rng.NextDouble() * step, cumulative = 0;
        var chosen = new List<int>(count);
        for (int i = 0; i < pool.Count && chosen.Count < count; i++)
        {
            cumulative += weight[i];
            while (cumulative > next && chosen.Count < count)
            {
                chosen.Add(i);
                next += step;
            }
        }
        return pool.Select(chosen);
    }

    /// <summary>
    /// The model's worst |error| at its training points and between them: at the midpoints of the gaps between sorted
    /// training inputs for one input, else at as many uniform points of the domain.
    /// </summary>
    public static (double AtPoints, double Between) WorstErrors(ITargetFunction target, FittedModel model, IReadOnlyList<Interval> domain, SampleSet training, Rng rng)
    {
        SampleSet between;
        if (domain.Count == 1)
        {
            var x = training.X.ToArray().Order().Distinct().ToArray();
            between = Problem.Sample(target, Enumerable.Range(0, Math.Max(0, x.Length - 1)).Select(i => 0.5 * (x[i] + x[i + 1])).ToArray());
        }
        else between = Problem.Sample(target, PointSets.Uniform(domain, training.Count, rng));
        return (Worst(model, training), Worst(model, between.WithoutNonFinite().Finite));
    }

    static double Worst(FittedModel model, SampleSet set)
    {
        if (set.Count == 0) return 0;
        var prediction = model.Predict(set.X.Span);
        double worst = 0;
        for (int i = 0; i < set.Count; i++) worst = Math.Max(worst, double.IsFinite(prediction[i]) ? Math.Abs(prediction[i] - set.Y.Span[i]) : double.PositiveInfinity);
        return worst;
    }

    /// <summary>The midpoints of the <paramref name="count"/> gaps between sorted training inputs where |model − target| is largest.</summary>
    static SampleSet Midpoints(ITargetFunction target, FittedModel model, SampleSet training, int count)
    {
        var x = training.X.ToArray().Order().Distinct().ToArray();
        var mid = new double[x.Length - 1];
        for (int i = 0; i < mid.Length; i++) mid[i] = 0.5 * (x[i] + x[i + 1]);
        var candidates = Problem.Sample(target, mid).WithoutNonFinite().Finite;
        var prediction = model.Predict(candidates.X.Span);
        var worst = Enumerable.Range(0, candidates.Count)
            .OrderByDescending(i => double.IsFinite(prediction[i]) ? Math.Abs(prediction[i] - candidates.Y.Span[i]) : double.PositiveInfinity)
            .Take(count).Order();
        return candidates.Select(worst);
    }
}
