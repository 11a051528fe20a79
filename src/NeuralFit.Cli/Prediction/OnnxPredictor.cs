using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;

namespace NeuralFit.Cli.Prediction;

/// <summary>
/// Runs an ONNX model through ONNX Runtime: one float input of shape (N, inputs), one output of N values. Files
/// NeuralFit exported name their inputs in metadata; for others the names are x, or x1..xn.
/// </summary>
sealed class OnnxPredictor : IPredictor
{
    const int Chunk = 4096;
    readonly InferenceSession _session;
    readonly string _input, _output;
    readonly int _inputs;

    public OnnxPredictor(string path)
    {
        // Read by NeuralFit, bounded like any model file, and handed over as bytes: ONNX Runtime never opens the path.
        var bytes = new InputFile("model file", "an ONNX model file", ModelFileReader.MaxFileBytes).ReadAllBytes(path);
        string file = Path.GetFileName(path);
        try { _session = new InferenceSession(bytes); }
        catch (OnnxRuntimeException e)
        {
            throw new InputError($"{file}: ONNX Runtime cannot load it: {FirstLine(e.Message)}");
        }
        try
        {
            if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count < 1)
                throw new InputError($"{file}: expected one input tensor and an output, found {_session.InputMetadata.Count} inputs");
            var (input, meta) = _session.InputMetadata.First();
            var dims = meta.Dimensions;
            if (meta.ElementDataType != TensorElementType.Float || dims.Length != 2 || dims[1] < 1)
                throw new InputError($"{file}: input '{input}' must be a float tensor of shape (N, inputs), found {meta.ElementDataType} ({string.Join(", ", dims)})");
            var output = _session.OutputMetadata.First();
            if (output.Value.ElementDataType != TensorElementType.Float)
                throw new InputError($"{file}: output '{output.Key}' must be a float tensor, found {output.Value.ElementDataType}");
            (_input, _output, _inputs) = (input, output.Key, dims[1]);
            InputNames = _session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxExport.InputNamesKey, out var names)
                && names.Split(',') is { } list && list.Length == _inputs ? list : SavedModel.DefaultInputNames(_inputs);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> InputNames { get; }

    public double[] Predict(double[] x)
    {
        int n = x.Length / _inputs;
        var y = new double[n];
        for (int start = 0; start < n; start += Chunk)
        {
            int m = Math.Min(Chunk, n - start);
            var batch = new float[m * _inputs];
            for (int i = 0; i < batch.Length; i++) batch[i] = (float)x[start * _inputs + i];
            using var tensor = OrtValue.CreateTensorValueFromMemory(batch, [m, _inputs]);
            using var options = new RunOptions();
            using var results = _session.Run(options, [_input], [tensor], [_output]);
            var values = results[0].GetTensorDataAsSpan<float>();
            if (values.Length != m) throw new InputError($"the ONNX model gave {values.Length} outputs for {m} inputs; expected one each");
            for (int i = 0; i < m; i++) y[start + i] = values[i];
        }
        return y;
    }

    public void Dispose() => _session.Dispose();

    static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n')[0];
}
