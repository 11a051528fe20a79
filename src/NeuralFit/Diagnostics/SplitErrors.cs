using NeuralFit.Fitting;
using NeuralFit.Networks;
using NeuralFit.Sampling;

namespace NeuralFit.Diagnostics;

/// <summary>
/// The handed-over model's mean squared error on each set, in the user's units, and what early stopping did: what
/// overfitting is judged by. Measured after training, on the weights the run returns (early stopping's best, when it
/// put them back).
/// </summary>
internal sealed record SplitErrors
{
    /// <summary>On the whole training set (for fresh sampling, its reference sample).</summary>
    public required double TrainingMse { get; init; }

    /// <summary>On the validation set, when there is one.</summary>
    public double? ValidationMse { get; init; }

    /// <summary>True when early stopping put back the weights of its lowest validation loss at the end.</summary>
    public bool Restored { get; init; }

    /// <summary>The step of the lowest validation loss, when validation ran.</summary>
    public int? BestValidationStep { get; init; }

    public static SplitErrors Measure(Problem problem, FittedModel model, bool restored, int? bestStep) => new()
    {
        TrainingMse = Mse(problem.Training, model),
        ValidationMse = problem.Validation.Count > 0 ? Mse(problem.Validation, model) : null,
        Restored = restored,
        BestValidationStep = bestStep,
    };

    static double Mse(SampleSet set, FittedModel model)
    {
        var prediction = model.Predict(set.X.Span);
        double sum = 0;
        int n = 0;
        for (int i = 0; i < set.Count; i++)
        {
            if (!double.IsFinite(set.Y.Span[i])) continue;
            double e = prediction[i] - set.Y.Span[i];
            sum += e * e;
            n++;
        }
        return n == 0 ? double.NaN : sum / n;
    }
}
