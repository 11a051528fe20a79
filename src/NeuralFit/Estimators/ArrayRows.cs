using NeuralFit.Sampling;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Estimators;

/// <summary>Arrays given to the estimator, checked and copied into the rows a data fit takes (a <see cref="Dataset"/>).</summary>
static class ArrayRows
{
    /// <summary>What the effective configuration says in place of a data file's name.</summary>
    public const string Label = "(arrays)";

    /// <summary>x (samples, inputs) and y (samples).</summary>
    public static Dataset Of(double[,] x, double[] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Of(Flatten(x), x.GetLength(1), x.GetLength(0), (double[])y.Clone()); // the rows are the data set's own: its split moves them
    }

    /// <summary>x (samples, inputs) and y (samples, outputs): one output unit per column of y, named y1..yk.</summary>
    public static Dataset Of(double[,] x, double[,] y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        int outputs = y.GetLength(1);
        if (outputs == 0) throw new ArgumentException("y has no columns: give one column per output", nameof(y));
        if (outputs == 1)
        {
            var column = new double[y.GetLength(0)];
            for (int i = 0; i < column.Length; i++) column[i] = y[i, 0];
            return Of(x, column);
        }
        var data = Of(Flatten(x), x.GetLength(1), x.GetLength(0), Flatten(y), outputs);
        return data with { TargetNames = Enumerable.Range(1, outputs).Select(k => $"y{k}").ToArray() };
    }

    /// <summary>x row-major (samples × inputs) and y (samples): the inputs per row are x's length over y's.</summary>
    public static Dataset Of(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (y.Length == 0) throw new ArgumentException("y is empty: give one value per sample", nameof(y));
        if (x.Length % y.Length != 0)
            throw new ArgumentException($"x holds {x.Length} values and y {y.Length}: x must hold the same number of inputs for each value of y, row after row", nameof(x));
        return Of(x.ToArray(), x.Length / y.Length, y.Length, y.ToArray());
    }

    static Dataset Of(double[] flatX, int inputs, int rows, double[] y, int outputs = 1)
    {
        if (y.Length != rows * outputs)
            throw new ArgumentException(outputs == 1
                ? $"x has {rows} rows but y has {y.Length} values: give one row of x per value of y"
                : $"x has {rows} rows but y has {y.Length / outputs}: give one row of x per row of y", nameof(y));
        if (rows == 0) throw new ArgumentException("x has no rows: give one row per sample", "x");
        if (inputs == 0) throw new ArgumentException("x has no columns: give one column per input", "x");
        for (int i = 0; i < flatX.Length; i++) Finite(flatX[i], "x", i / inputs, i % inputs);
        for (int i = 0; i < y.Length; i++) Finite(y[i], "y", i / outputs, outputs == 1 ? null : i % outputs);
        var names = inputs == 1 ? new[] { "x" } : Enumerable.Range(1, inputs).Select(k => $"x{k}").ToArray();
        return new Dataset("the arrays", names, outputs == 1 ? "y" : "y1", new DataRows(flatX, y, inputs, outputs));
    }

    static void Finite(double v, string array, int row, int? column)
    {
        if (!double.IsFinite(v))
            throw new ArgumentException($"{array}[{row}{(column is int c ? $", {c}" : "")}] is {v}: every value must be finite", array);
    }

    public static double[] Flatten(double[,] a)
    {
        var flat = new double[a.Length];
        int i = 0;
        foreach (double v in a) flat[i++] = v; // a multidimensional array enumerates row-major
        return flat;
    }

    public static double[,] Widen(float[,] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var d = new double[a.GetLength(0), a.GetLength(1)];
        for (int i = 0; i < a.GetLength(0); i++)
            for (int j = 0; j < a.GetLength(1); j++) d[i, j] = a[i, j];
        return d;
    }

    public static double[] Widen(float[] a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return Array.ConvertAll(a, v => (double)v);
    }
}
