using NeuralFit.Persistence;

namespace NeuralFit.Cli.Prediction;

/// <summary>A model `neuralfit predict` can run: a NeuralFit model file, or an ONNX file through ONNX Runtime.</summary>
interface IPredictor : IDisposable
{
    /// <summary>The model's input names, in order: what --x values and CSV columns are matched to.</summary>
    IReadOnlyList<string> InputNames { get; }

    /// <summary>The ranges the model was trained on, one per input; empty when the file does not say.</summary>
    IReadOnlyList<Configuration.Interval> TrainingRanges { get; }

    /// <summary>The model's output names, one per output (y for one output).</summary>
    IReadOnlyList<string> OutputNames { get; }

    /// <summary>x row-major (n, inputs) in the user's units -> y row-major (n, outputs).</summary>
    double[] Predict(double[] x);
}

static class Predictors
{
    public static IPredictor Open(string path)
    {
        if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase)) return new OnnxPredictor(path);
        return new ModelFilePredictor(ModelFile.Load(path));
    }
}

sealed class ModelFilePredictor(SavedModel model) : IPredictor
{
    public IReadOnlyList<string> InputNames => model.InputNames;
    public IReadOnlyList<Configuration.Interval> TrainingRanges => model.Domain;
    public IReadOnlyList<string> OutputNames => model.OutputNames;
    public double[] Predict(double[] x) => model.Model.Predict(x);
    public void Dispose() { }
}
