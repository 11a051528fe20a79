using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

internal static class Metrics
{
    /// <summary>Compares predictions with the targets of a set, leaving out points whose target is not finite.</summary>
    public static Evaluation Compare(SampleSet set, ReadOnlySpan<double> prediction, string domain)
    {
        int n = 0, nonFiniteTargets = 0, nonFiniteOutputs = 0, worst = -1;
        double sumSq = 0, maxAbs = 0, sumY = 0, sumP = 0;
        for (int i = 0; i < set.Count; i++)
        {
            double y = set.Y[i], p = prediction[i];
            if (!double.IsFinite(y)) { nonFiniteTargets++; continue; }
            if (!double.IsFinite(p)) nonFiniteOutputs++;
            double e = p - y;
            sumSq += e * e;
            if (!(Math.Abs(e) <= maxAbs)) { maxAbs = Math.Abs(e); worst = i; }
            sumY += y; sumP += p; n++;
        }
        if (n == 0) throw new InputError($"the target is not finite at any of the {set.Count} evaluation points");
        double meanY = sumY / n, meanP = sumP / n, ssY = 0, ssP = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (!double.IsFinite(set.Y[i])) continue;
            ssY += (set.Y[i] - meanY) * (set.Y[i] - meanY);
            ssP += (prediction[i] - meanP) * (prediction[i] - meanP);
        }
        double mse = sumSq / n;
        return new Evaluation
        {
            Domain = domain,
            Points = n,
            Mse = mse,
            Rmse = Math.Sqrt(mse),
            MaxAbsError = maxAbs,
            R2 = ssY > 0 ? 1 - sumSq / ssY : (sumSq == 0 ? 1 : double.NegativeInfinity),
            OutputMean = meanP,
            OutputStd = Math.Sqrt(ssP / n),
            TargetMean = meanY,
            TargetStd = Math.Sqrt(ssY / n),
            NonFiniteTargets = nonFiniteTargets,
            NonFiniteOutputs = nonFiniteOutputs,
            WorstInput = worst >= 0 ? set.Row(worst).ToArray() : [],
        };
    }
}
