using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace NeuralFit.Training;

/// <summary>Mean squared error over the batch and the outputs, as torch.nn.MSELoss(reduction="mean").</summary>
internal static class MeanSquaredError
{
    // prediction, target (count) -> loss; dPrediction (count) = 2 (prediction − target) / count
    public static double LossAndGradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> dPrediction)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = prediction.Length;
        return SumAndGradient(prediction, target, dPrediction, T.CreateChecked(2.0 / count)) / count;
    }

    /// <summary>
    /// The loss and its gradient in one pass: r = prediction − target; dPrediction = scale·r; returns Σ r² (each r²
    /// rounded in T, summed in double). Data-parallel chunks pass the whole batch's scale and add the sums.
    /// </summary>
    public static double SumAndGradient<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> dPrediction, T scale)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int count = prediction.Length;
        if (target.Length < count || dPrediction.Length < count) throw new ArgumentException("target and gradient must be as long as the prediction");
        ref T p = ref MemoryMarshal.GetReference(prediction);
        ref T t = ref MemoryMarshal.GetReference(target);
        ref T d = ref MemoryMarshal.GetReference(dPrediction);
        int i = 0;
        var sums = Vector256<double>.Zero;
        if (Vector256.IsHardwareAccelerated && (typeof(T) == typeof(float) || typeof(T) == typeof(double)))
        {
            var s = Vector256.Create(scale);
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var r = Vector256.LoadUnsafe(ref p, (nuint)i) - Vector256.LoadUnsafe(ref t, (nuint)i);
                (s * r).StoreUnsafe(ref d, (nuint)i);
                var rr = r * r;
                if (typeof(T) == typeof(float))
                {
                    var (lower, upper) = Vector256.Widen(rr.AsSingle());
                    sums += lower + upper;
                }
                else sums += rr.AsDouble();
            }
        }
        double sum = Vector256.Sum(sums);
        for (; i < count; i++)
        {
            T r = Unsafe.Add(ref p, i) - Unsafe.Add(ref t, i);
            sum += double.CreateTruncating(r * r);
            Unsafe.Add(ref d, i) = scale * r;
        }
        return sum;
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
