using Microsoft.ML.OnnxRuntime.Tensors;
using Microsoft.ML.OnnxRuntime;
using NeuralFit.Files;
using NeuralFit.Persistence.Onnx;
using NeuralFit.Persistence;

namespace NeuralFit.Cli.Prediction;

/// <summary>
/// Runs an ONNX model through ONNX Runtime: one float input of shape (N, inputs), one output of shape (N, outputs)
/// (or (N)). Files NeuralFit exported name their inputs and outputs in metadata; for others the names are x, or
/// x1..xn, and y, or y1..yk.
/// </summary>
sealed class OnnxPredictor : IPredictor
{
    const int Chunk = 4096;
    readonly InferenceSession _session;
    readonly string _input, _output, _file;
    readonly int _inputs, _outputs, _batch;

    public OnnxPredictor(string path)
    {
        // Read by NeuralFit, bounded like any model file, and handed over as bytes: ONNX Runtime never opens the path.
        var bytes = new InputFile("model file", "an ONNX model file", ModelFileReader.MaxFileBytes).ReadAllBytes(path);
        string file = _file = Path.GetFileName(path);
        // ONNX Runtime's own warnings (coloured, on stderr) would break the one-line promise: whatever they warn of
        // is checked here and refused with a line of ours; its errors still arrive, as exceptions.
        OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try { _session = new InferenceSession(bytes, options); }
        catch (OnnxRuntimeException e)
        {
            throw new InputError($"{file}: ONNX Runtime cannot load it: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            // ONNX Runtime ships no native library for some platforms (osx-x64 among them), and the tool package has none there
            throw new InputError($"{file}: ONNX Runtime has no native library for this platform ({System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}); " +
                                 "predict with the NeuralFit model file (.json) instead");
        }
        try
        {
            if (_session.InputMetadata.Count != 1 || _session.OutputMetadata.Count < 1)
                throw new InputError($"{file}: expected one input tensor and an output, found {_session.InputMetadata.Count} inputs");
            var (input, meta) = _session.InputMetadata.First();
            var dims = meta.Dimensions;
            if (meta.ElementDataType != TensorElementType.Float || dims.Length != 2 || dims[1] < 1)
                throw new InputError($"{file}: input '{input}' must be a float tensor of shape (N, inputs), found {meta.ElementDataType} ({string.Join(", ", dims.Select(d => Dim(d)))})");
            var output = _session.OutputMetadata.First();
            if (output.Value.ElementDataType != TensorElementType.Float)
                throw new InputError($"{file}: output '{output.Key}' must be a float tensor, found {output.Value.ElementDataType}");
            // one row of predictions per point: (N, outputs) or (N); a declared size of another shape is a model of something else
            var outDims = OnnxDeclaredShapes.Outputs(bytes).FirstOrDefault(o => o.Name == output.Key).Dims?.Select(d => (int)Math.Clamp(d, -1, int.MaxValue)).ToArray()
                ?? output.Value.Dimensions;
            if (outDims.Length is not (1 or 2) || (outDims.Length == 2 && outDims[1] is 0 or < -1) || (dims[0] > 0 && outDims[0] > 0 && outDims[0] != dims[0]))
                throw new InputError($"{file}: output '{output.Key}' is declared of shape ({string.Join(", ", outDims.Select(d => Dim(d)))}) for an input of shape " +
                                     $"({string.Join(", ", dims.Select(d => Dim(d)))}); expected (N, outputs), one row of predictions per point");
            // a model made for a fixed number of points at a time gets exactly that many (the last batch padded); a
            // free number of outputs is learnt from the first run
            (_input, _output, _inputs, _batch) = (input, output.Key, dims[1], dims[0] > 0 ? dims[0] : 0);
            _outputs = outDims.Length == 2 && outDims[1] > 0 ? outDims[1] : 1;
            InputNames = _session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxExport.InputNamesKey, out var names)
                && names.Split(',') is { } list && list.Length == _inputs ? list : SavedModel.DefaultInputNames(_inputs);
            TrainingRanges = Ranges(_session.ModelMetadata.CustomMetadataMap.GetValueOrDefault(OnnxExport.DomainKey), _inputs);
            OutputNames = _session.ModelMetadata.CustomMetadataMap.TryGetValue(OnnxExport.OutputNamesKey, out var outputs)
                && outputs.Split(',') is { } outList && outList.Length == _outputs ? outList : SavedModel.DefaultOutputNames(_outputs);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    public IReadOnlyList<string> InputNames { get; }
    public IReadOnlyList<string> OutputNames { get; }
    public IReadOnlyList<Configuration.Interval> TrainingRanges { get; } = [];

    /// <summary>The domain NeuralFit's export wrote ("lo:hi,lo:hi"); nothing for a file from elsewhere, or one that does not parse.</summary>
    static IReadOnlyList<Configuration.Interval> Ranges(string? text, int inputs)
    {
        var parts = text?.Split(',') ?? [];
        if (parts.Length != inputs) return [];
        try { return parts.Select(p => Configuration.Interval.Parse(p, "ONNX metadata")).ToArray(); }
        catch (InputError) { return []; }
    }

    public double[] Predict(double[] x)
    {
        int n = x.Length / _inputs, k = _outputs;
        var y = new double[n * k];
        int chunk = _batch > 0 ? _batch : Chunk;
        for (int start = 0; start < n; start += chunk)
        {
            int m = Math.Min(chunk, n - start), rows = _batch > 0 ? _batch : m;
            var batch = new float[rows * _inputs];
            for (int i = 0; i < m * _inputs; i++) batch[i] = (float)x[start * _inputs + i];
            using var tensor = OrtValue.CreateTensorValueFromMemory(batch, [rows, _inputs]);
            using var options = new RunOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
            IDisposableReadOnlyCollection<OrtValue> results;
            try { results = _session.Run(options, [_input], [tensor], [_output]); }
            catch (OnnxRuntimeException e) { throw new InputError($"{_file}: ONNX Runtime cannot run it: {FirstLine(e.Message)}"); }
            using (results)
            {
                var shape = results[0].GetTensorTypeAndShape().Shape;
                if (!(shape.Length == 2 && shape[0] == rows && shape[1] == k) && !(k == 1 && shape.Length == 1 && shape[0] == rows))
                    throw new InputError($"{_file}: the model gave an output of shape ({string.Join(", ", shape)}) for {rows} points; expected ({rows}, {k}), one row of predictions per point");
                var values = results[0].GetTensorDataAsSpan<float>();
                for (int i = 0; i < m * k; i++) y[start * k + i] = values[i];
            }
        }
        return y;
    }

    public void Dispose() => _session.Dispose();

    static string Dim(long d) => d < 0 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture);

    static string FirstLine(string text) => text.ReplaceLineEndings("\n").Split('\n')[0];
}
