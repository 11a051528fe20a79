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

    /// <summary>
    /// <see cref="Compare(SampleSet, ReadOnlySpan{double}, string, IReadOnlyList{string})"/> of a model's predictions,
    /// made a chunk of rows at a time and twice (for the sums, then for the spreads about the means) rather than held:
    /// on a million-row file the training set's predictions alone would be 5.8 MB. The sums run in the same order, so
    /// the numbers are the same as from the predictions held. Several outputs are compared from the predictions held.
    /// </summary>
    public static Evaluation CompareModel(SampleSet set, Networks.FittedModel model, string domain, IReadOnlyList<string>? names = null)
    {
        if (set.Outputs != 1) return Compare(set, model.Predict(set.X.Span), domain, names);
        var sums = new Sums();
        var chunk = new double[Math.Min(PredictionChunk, set.Count)];
        for (int pass = 1; pass <= 2; pass++)
        {
            if (pass == 2) sums.Means(set.Count);
            for (int start = 0; start < set.Count; start += chunk.Length)
            {
                int n = Math.Min(chunk.Length, set.Count - start);
                var prediction = chunk.AsSpan(0, n);
                model.Predict(set.X.Span.Slice(start * set.Inputs, n * set.Inputs), prediction);
                var ys = set.Y.Span.Slice(start, n);
                for (int i = 0; i < n; i++)
                    if (pass == 1) sums.Add(ys[i], prediction[i], start + i);
                    else sums.AddSpread(ys[i], prediction[i]);
            }
        }
        return sums.Result(set, domain);
    }

    /// <summary>Rows predicted at a time by the streaming comparison: 64 KB of predictions.</summary>
    const int PredictionChunk = 8192;

    static Evaluation CompareOne(SampleSet set, ReadOnlySpan<double> prediction, string domain)
    {
        var sums = new Sums();
        var ys = set.Y.Span;
        for (int i = 0; i < set.Count; i++) sums.Add(ys[i], prediction[i], i);
        sums.Means(set.Count);
        for (int i = 0; i < set.Count; i++) sums.AddSpread(ys[i], prediction[i]);
        return sums.Result(set, domain);
    }

    /// <summary>The sums of a comparison, point by point in order: first the errors and means, then the spreads about them.</summary>
    sealed class Sums
    {
        int n, nonFiniteTargets, nonFiniteOutputs, worst = -1;
        double sumSq, maxAbs, sumY, sumP, meanY, meanP, ssY, ssP;

        public void Add(double y, double p, int i)
        {
            if (!double.IsFinite(y)) { nonFiniteTargets++; return; }
            if (!double.IsFinite(p)) nonFiniteOutputs++;
            double e = p - y;
            sumSq += e * e;
            if (!(Math.Abs(e) <= maxAbs)) { maxAbs = Math.Abs(e); worst = i; }
            sumY += y; sumP += p; n++;
        }

        public void Means(int count)
        {
            if (n == 0) throw new InputError($"the target is not finite at any of the {count} evaluation points");
            (meanY, meanP) = (sumY / n, sumP / n);
        }

        public void AddSpread(double y, double p)
        {
            if (!double.IsFinite(y)) return;
            ssY += (y - meanY) * (y - meanY);
            ssP += (p - meanP) * (p - meanP);
        }

        public Evaluation Result(SampleSet set, string domain)
        {
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
}
