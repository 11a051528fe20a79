namespace NeuralFit.Preprocessing;

/// <summary>Maps a value v in the user's units to (v − Shift) / Scale, and back.</summary>
internal readonly record struct AffineMap(double Shift, double Scale)
{
    public static readonly AffineMap Identity = new(0, 1);

    public double Forward(double v) => (v - Shift) / Scale;
    public double Inverse(double u) => u * Scale + Shift;
    public bool IsIdentity => Shift == 0 && Scale == 1;

    /// <summary>Standardise: zero mean, unit standard deviation on the given values (finite ones only).</summary>
    public static AffineMap Standardize(ReadOnlySpan<double> values, int stride = 1, int offset = 0)
    {
        var (mean, std, _) = Moments(values, stride, offset);
        return new AffineMap(mean, std > 1e-12 * Math.Max(1, Math.Abs(mean)) ? std : 1.0);
    }

    /// <summary>Min-max: the values' range onto [−1, 1].</summary>
    public static AffineMap MinMax(double lo, double hi) =>
        hi > lo ? new AffineMap(0.5 * (lo + hi), 0.5 * (hi - lo)) : new AffineMap(lo, 1);

    /// <summary>Mean, standard deviation and count of the finite values at offset, offset + stride, ...</summary>
    public static (double Mean, double Std, int Count) Moments(ReadOnlySpan<double> values, int stride = 1, int offset = 0)
    {
        double sum = 0, sumSq = 0;
        int n = 0;
        for (int i = offset; i < values.Length; i += stride)
            if (double.IsFinite(values[i])) { sum += values[i]; n++; }
        if (n == 0) return (0, 0, 0);
        double mean = sum / n;
        for (int i = offset; i < values.Length; i += stride)
            if (double.IsFinite(values[i])) sumSq += (values[i] - mean) * (values[i] - mean);
        return (mean, Math.Sqrt(sumSq / n), n);
    }
}
