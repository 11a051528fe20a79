using System.Numerics;

namespace NeuralFit.Training;

/// <summary>Mean squared error over the batch and the outputs, as torch.nn.MSELoss(reduction="mean").</summary>
public static class MeanSquaredError
{
    // prediction, target (count) -> loss; dPrediction (count) = 2 (prediction − target) / count
    public static double LossAndGradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> dPrediction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = prediction.Length;
        T scale = T.CreateChecked(2.0 / count);
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            T r = prediction[i] - target[i];
            sum += double.CreateTruncating(r * r);
            dPrediction[i] = scale * r;
        }
        return sum / count;
    }

    public static double Loss<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        double sum = 0;
        for (int i = 0; i < prediction.Length; i++)
        {
            double r = double.CreateTruncating(prediction[i] - target[i]);
            sum += r * r;
        }
        return sum / prediction.Length;
    }
}
