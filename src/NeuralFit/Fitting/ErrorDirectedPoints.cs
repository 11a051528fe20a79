using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Targets;

namespace NeuralFit.Fitting;

/// <summary>
/// New training points where a model's error is: a uniform pool four times larger is drawn, and points are kept with
/// probability proportional to |error| + mean |error| by systematic sampling (one uniform offset, then evenly spaced
/// picks along the cumulative weights: Kitagawa 1996), so at least half of them still spread over the whole domain
/// while the rest crowd where the fit is worst. Adaptive sampling of this kind (error-equidistributing, as in adaptive
/// quadrature and mesh refinement) spends points where they change the fit.
/// </summary>
public static class ErrorDirectedPoints
{
    const int PoolFactor = 4;

    public static SampleSet Draw(ITargetFunction target, FittedModel model, IReadOnlyList<Interval> domain, int count, Rng rng)
    {
        if (count <= 0) return SampleSet.Empty(domain.Count);
        int d = domain.Count;
        var pool = Problem.Sample(target, PointSets.Uniform(domain, PoolFactor * count, rng)).WithoutNonFinite().Finite;
        if (pool.Count == 0) return SampleSet.Empty(d);
        var prediction = model.Predict(pool.X);
        var weight = new double[pool.Count];
        double sum = 0;
        for (int i = 0; i < pool.Count; i++)
        {
            double e = Math.Abs(prediction[i] - pool.Y[i]);
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
}
