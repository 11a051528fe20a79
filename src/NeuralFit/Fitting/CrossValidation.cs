using NeuralFit.Sampling;

namespace NeuralFit.Fitting;

/// <summary>
/// K-fold cross-validation: the rows are dealt at random into K folds; each fold in turn is held out while a model
/// learns from the others, and every row is predicted once by a model that never saw it.
/// </summary>
internal sealed class CrossValidation
{
    readonly SampleSet _rows;
    readonly int[] _fold;

    public CrossValidation(SampleSet rows, int folds, Rng rng)
    {
        if (folds < 2 || folds > rows.Count) throw new InputError($"FitOptions.Folds {folds}: needs between 2 and the {rows.Count} rows to learn from");
        _rows = rows;
        Folds = folds;
        var order = Enumerable.Range(0, rows.Count).ToArray();
        rng.Shuffle(order);
        _fold = new int[rows.Count];
        for (int i = 0; i < order.Length; i++) _fold[order[i]] = i % folds;
    }

    public int Folds { get; }

    /// <summary>Rows a model of one fold learns from: all but a fold's share.</summary>
    public int TrainingRows => _rows.Count - _rows.Count / Folds;

    /// <summary>The held-out score of a way of fitting: <paramref name="fitAndPredict"/>(training rows, held-out inputs)
    /// returns its predictions for the held-out rows.</summary>
    public Score Run(Func<SampleSet, SampleSet, double[]> fitAndPredict)
    {
        var foldMse = new double[Folds];
        double sse = 0;
        for (int k = 0; k < Folds; k++)
        {
            var train = _rows.Select(Enumerable.Range(0, _rows.Count).Where(i => _fold[i] != k));
            var held = _rows.Select(Enumerable.Range(0, _rows.Count).Where(i => _fold[i] == k));
            var prediction = fitAndPredict(train, held);
            double foldSse = 0;
            for (int i = 0; i < held.Count; i++)
            {
                double r = double.IsFinite(prediction[i]) ? prediction[i] - held.Y.Span[i] : double.PositiveInfinity;
                foldSse += r * r;
            }
            foldMse[k] = foldSse / held.Count;
            sse += foldSse;
        }
        double mse = sse / _rows.Count, mean = foldMse.Average();
        double spread = Math.Sqrt(foldMse.Sum(m => (m - mean) * (m - mean)) / (Folds - 1));
        var (yMean, yStd, _) = Preprocessing.AffineMap.Moments(_rows.Y.Span);
        return new Score(mse, spread / Math.Sqrt(Folds), yStd > 0 ? 1 - mse / (yStd * yStd) : double.NaN);
    }

    /// <param name="Mse">Mean squared error over every held-out prediction.</param>
    /// <param name="StandardError">Of the mean of the folds' MSEs: how much the score could move with another deal.</param>
    /// <param name="R2">1 − Mse / the rows' variance.</param>
    public readonly record struct Score(double Mse, double StandardError, double R2);
}
