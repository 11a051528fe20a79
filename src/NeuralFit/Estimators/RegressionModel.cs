using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;

namespace NeuralFit.Estimators;

/// <summary>
/// A fitted model, as ML.NET's <c>ITransformer</c> or a fitted scikit-learn estimator: <see cref="Predict(double[,])"/>
/// on rows shaped as the training x, <see cref="Save"/> and <see cref="Load"/> of the model file `neuralfit fit --out`
/// writes and `neuralfit predict --model` reads, and export to ONNX and to a dependency-free C# class.
/// </summary>
public sealed class RegressionModel
{
    readonly SavedModel _saved;

    internal RegressionModel(SavedModel saved, FitResult? fit)
    {
        _saved = saved;
        Fit = fit;
    }

    /// <summary>The model of a fit the library ran, to predict without fitting again: a diagnosis's
    /// <see cref="Diagnostics.DiagnosisResult.Fit"/>, or the doctor's final run (<see cref="Diagnostics.DoctorReport.Final"/>).</summary>
    public static RegressionModel Of(FitResult fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        return new(fit.ToSavedModel(), fit);
    }

    /// <summary>The fit that made this model: metrics, verdict, history, the options it ran with. Null for a loaded model.</summary>
    public FitResult? Fit { get; }

    /// <summary>One name per input column, in order ("x" for one input, "x1".."xn" for several, or a data file's headers).</summary>
    public IReadOnlyList<string> InputNames => _saved.InputNames;

    public int InputCount => _saved.InputNames.Count;

    /// <summary>One range per input: where the model was trained. Predictions outside it are extrapolations.</summary>
    public IReadOnlyList<Interval> TrainingRanges => _saved.Domain;

    /// <summary>Values per prediction: the columns of the training y (1 for a y of one value per row).</summary>
    public int OutputCount => _saved.Model.OutputCount;

    /// <summary>One name per output ("y" for one, "y1".."yk" for several, or a data file's target columns).</summary>
    public IReadOnlyList<string> OutputNames => _saved.OutputNames;

    /// <summary>The predictions at each row of <paramref name="x"/> (samples, inputs): (samples, outputs), in the units
    /// of the training y; for a model of any number of outputs.</summary>
    public double[,] PredictOutputs(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckColumns(x.GetLength(1), nameof(x));
        int n = x.GetLength(0), d = x.GetLength(1), k = OutputCount;
        var flat = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) flat[i * d + j] = x[i, j];
        var y = _saved.Model.Predict(flat);
        var result = new double[n, k];
        for (int i = 0; i < n; i++)
            for (int o = 0; o < k; o++) result[i, o] = y[i * k + o];
        return result;
    }

    /// <summary>The prediction at each row of <paramref name="x"/> (samples, inputs), in the units of the training y
    /// (a model of one output; <see cref="PredictOutputs"/> for several).</summary>
    public double[] Predict(double[,] x)
    {
        ArgumentNullException.ThrowIfNull(x);
        OneOutput();
        CheckColumns(x.GetLength(1), nameof(x));
        var y = new double[x.GetLength(0)];
        var row = new double[x.GetLength(1)];
        var one = new double[1];
        for (int i = 0; i < y.Length; i++)
        {
            for (int k = 0; k < row.Length; k++) row[k] = x[i, k];
            _saved.Model.Predict(row, one);
            y[i] = one[0];
        }
        return y;
    }

    /// <summary>
    /// Predictions as <see cref="Predict(double[,])"/> gives them, and which rows lie outside the ranges the model was
    /// trained on (<see cref="TrainingRanges"/>), with the farthest: a network has seen nothing there.
    /// </summary>
    public double[] Predict(double[,] x, out Extrapolation outside)
    {
        var y = Predict(x);
        outside = Extrapolation.Check(_saved.Domain, ArrayRows.Flatten(x));
        return y;
    }

    /// <inheritdoc cref="Predict(double[,])"/>
    public float[] Predict(float[,] x) => Array.ConvertAll(Predict(ArrayRows.Widen(x)), v => (float)v);

    /// <summary>The prediction at one point, one value per input.</summary>
    public double Predict(params ReadOnlySpan<double> x)
    {
        OneOutput();
        CheckColumns(x.Length, nameof(x));
        Span<double> y = stackalloc double[1];
        _saved.Model.Predict(x, y);
        return y[0];
    }

    /// <summary>Predictions for <paramref name="x"/> given row-major (samples × inputs) into <paramref name="y"/>
    /// (samples × outputs, row-major), allocating nothing.</summary>
    public void Predict(ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length % InputCount != 0 || x.Length / InputCount * OutputCount != y.Length)
            throw new ArgumentException($"x holds {x.Length} values and y {y.Length}: x must hold {InputCount} per row of y, and y {OutputCount} per row", nameof(x));
        _saved.Model.Predict(x, y);
    }

    /// <summary>Writes the model file (JSON) that `neuralfit predict --model` and <see cref="Load"/> read, atomically.</summary>
    public void Save(string path) => ModelFile.Save(_saved, path);

    /// <summary>A model file written by <see cref="Save"/> or by `neuralfit fit --out`. A file that is not one throws <see cref="InputError"/>.</summary>
    public static RegressionModel Load(string path) => new(ModelFile.Load(path), fit: null);

    /// <summary>Writes the model as ONNX (opset 13; input "x" of shape (N, inputs), output "y" of shape (N, 1)).</summary>
    public void ExportOnnx(string path) => OnnxExport.Save(_saved, path);

    /// <summary>Writes the model as one static C# class with <c>Predict</c>, no dependencies; the class is named after the file unless given.</summary>
    public void ExportCSharp(string path, string? className = null) => CSharpExport.Save(_saved, path, className);

    void CheckColumns(int columns, string name)
    {
        if (columns != InputCount)
            throw new ArgumentException($"{name} has {columns} {(columns == 1 ? "column" : "columns")} but the model takes {InputCount} " +
                                        $"{(InputCount == 1 ? "input" : "inputs")} ({string.Join(", ", InputNames)})", name);
    }

    void OneOutput()
    {
        if (OutputCount != 1)
            throw new InvalidOperationException($"the model has {OutputCount} outputs ({string.Join(", ", OutputNames)}): use PredictOutputs, or Predict(x, y) with {OutputCount} values of y per row");
    }
}
