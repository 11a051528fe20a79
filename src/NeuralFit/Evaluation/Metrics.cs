using NeuralFit.Sampling;

namespace NeuralFit.Evaluation;

internal static class Metrics
{
    /// <summary>
    /// Compares predictions (row-major, one per output) with the targets of a set, leaving out points whose target is
    /// not finite. With several outputs, each output's metrics are in <see cref="Evaluation.PerOutput"/>, and the
    /// overall ones are as scikit-learn's "uniform_average": the mean of the outputs' MSE (the MSE over every value),
    /// its root, the mean of their R², the largest max |error| (its point the worst input); means and spreads over
    /// every value.
    /// </summary>
    public static Evaluation Compare(SampleSet set, ReadOnlySpan<double> prediction, string domain, IReadOnlyList<string>? names = null)
    {
        if (set.Outputs == 1) return CompareOne(set, prediction, domain);
        int k = set.Outputs, count = set.Count;
        var outputs = new Evaluation[k];
        var column = new double[count];
        for (int o = 0; o < k; o++)
        {
            for (int i = 0; i < count; i++) column[i] = prediction[i * k + o];
            outputs[o] = CompareOne(set.Output(o), column, domain) with { OutputName = names is { } n && n.Count == k ? n[o] : $"y{o + 1}" };
        }
        var pooled = CompareOne(new SampleSet(set.X.Length == 0 ? [] : Repeat(set.X.Span, set.Inputs, k), set.Y, set.Inputs), prediction, domain);
        var worst = outputs.MaxBy(e => e.MaxAbsError)!;
        double mse = outputs.Average(e => e.Mse);
        return pooled with
        {
            Points = outputs.Max(e => e.Points),
            Mse = mse,
            Rmse = Math.Sqrt(mse),
            R2 = outputs.Average(e => e.R2),
            MaxAbsError = worst.MaxAbsError,
            WorstInput = worst.WorstInput,
            NonFiniteTargets = outputs.Sum(e => e.NonFiniteTargets),
            NonFiniteOutputs = outputs.Sum(e => e.NonFiniteOutputs),
            PerOutput = outputs,
        };
    }

    /// <summary>Each row of x k times over, so every value of a (n, k) target matrix has its inputs.</summary>
    static double[] Repeat(ReadOnlySpan<double> x, int inputs, int k)
    {
        int n = x.Length / inputs;
        var r = new double[x.Length * k];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < k; o++) x.Slice(i * inputs, inputs).CopyTo(r.AsSpan((i * k + o) * inputs, inputs));
        return r;
    }

    static Evaluation CompareOne(SampleSet set, ReadOnlySpan<double> prediction, string domain)
    {
        int n = 0, nonFiniteTargets = 0, nonFiniteOutputs = 0, worst = -1;
        double sumSq = 0, maxAbs = 0, sumY = 0, sumP = 0;
        var ys = set.Y.Span;
        for (int i = 0; i < set.Count; i++)
        {
            double y = ys[i], p = prediction[i];
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
            if (!double.IsFinite(ys[i])) continue;
            ssY += (ys[i] - meanY) * (ys[i] - meanY);
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
