using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>A model read back from <c>best-model.json</c>.</summary>
/// <param name="Loss">The loss it was kept for (NaN when none was measured yet).</param>
public sealed record SavedBestModel(NetworkShape Shape, Normalization Normalization, double[] Parameters, int Step, double Loss, Precision Precision)
{
    /// <summary>The network with its normalisation, predicting in the user's units (in float64).</summary>
    public FittedModel ToFittedModel() => new FittedModel<double>(new Mlp<double>(Shape, (double[])Parameters.Clone()), Normalization);
}

/// <summary>
/// <c>best-model.json</c> in a checkpoint folder: the best model of a run so far, in plain JSON that any tool can read.
/// <code>
/// { "format": "neuralfit-best-model", "version": 1, "step": 1200, "loss": 1.2e-4, "precision": "float32",
///   "network": { "inputs": 1, "hidden": [50, 10], "outputs": 1, "activation": "relu" },
///   "normalization": { "inputs": [ { "shift": 0, "scale": 1 } ], "target": { "shift": -1, "scale": 0.9 } },
///   "layers": [ { "weights": [[w00, w01, ...], ...], "biases": [b0, ...] }, ... ] }
/// </code>
/// Layer l maps its input a (fanIn) to f(W a + b), W with fanOut rows of fanIn numbers; hidden layers apply the
/// activation, the last is linear. The network sees (x − shift) / scale per input and its output y' is read as
/// y' · scale + shift in the target's units. The model-file format of <c>neuralfit fit --out</c> supersedes this one
/// where the two differ.
/// </summary>
public static class BestModelFile
{
    public const string FormatName = "neuralfit-best-model";
    public const int FormatVersion = 1;

    public static void Write(string path, SavedBestModel m) => AtomicFile.Write(path, stream =>
    {
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteString("format", FormatName);
        w.WriteNumber("version", FormatVersion);
        w.WriteNumber("step", m.Step);
        JsonFieldWriter.Number(w, "loss", m.Loss);
        w.WriteString("precision", m.Precision.Name());
        w.WriteStartObject("network");
        w.WriteNumber("inputs", m.Shape.Inputs);
        w.WriteStartArray("hidden");
        foreach (int width in m.Shape.Hidden) w.WriteNumberValue(width);
        w.WriteEndArray();
        w.WriteNumber("outputs", m.Shape.Outputs);
        w.WriteString("activation", m.Shape.Activation.Name());
        w.WriteEndObject();
        w.WriteStartObject("normalization");
        w.WriteStartArray("inputs");
        foreach (var map in m.Normalization.Inputs) { w.WriteStartObject(); w.WriteNumber("shift", map.Shift); w.WriteNumber("scale", map.Scale); w.WriteEndObject(); }
        w.WriteEndArray();
        w.WriteStartObject("target");
        w.WriteNumber("shift", m.Normalization.Target.Shift);
        w.WriteNumber("scale", m.Normalization.Target.Scale);
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteStartArray("layers");
        foreach (var slot in m.Shape.Slots)
        {
            w.WriteStartObject();
            w.WriteStartArray("weights");
            for (int o = 0; o < slot.FanOut; o++)
            {
                w.WriteStartArray();
                for (int i = 0; i < slot.FanIn; i++) Value(w, m.Parameters[slot.WeightOffset + o * slot.FanIn + i], m.Precision);
                w.WriteEndArray();
            }
            w.WriteEndArray();
            w.WriteStartArray("biases");
            for (int o = 0; o < slot.FanOut; o++) Value(w, m.Parameters[slot.BiasOffset + o], m.Precision);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    // float32 values are written in their own shortest form, which reads back to the same float32.
    static void Value(Utf8JsonWriter w, double v, Precision p)
    {
        if (p == Precision.Float32) w.WriteNumberValue((float)v); else w.WriteNumberValue(v);
    }

    public static SavedBestModel Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputError($"'{path}' does not exist");
        if (info.Length > CheckpointFolder.MaxCheckpointBytes)
            throw new InputError($"{path}: {info.Length:N0} bytes; a saved model is at most {CheckpointFolder.MaxCheckpointBytes:N0}");
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads a best-model file's bytes; <paramref name="path"/> names it in errors.</summary>
    public static SavedBestModel Parse(byte[] bytes, string path)
    {
        using var doc = JsonField.Parse(bytes, path);
        var root = new JsonField(doc.RootElement, "", path);
        if (doc.RootElement.ValueKind != JsonValueKind.Object || root.Optional("format")?.Text() != FormatName)
            throw new InputError($"{path}: not a NeuralFit best-model file (it has no \"format\": \"{FormatName}\")");
        int version = root["version"].Int(0, int.MaxValue);
        if (version != FormatVersion) throw new InputError($"{path}: best-model format version {version}; this NeuralFit reads version {FormatVersion}");

        var net = root["network"];
        int inputs = net["inputs"].Int(1, 16), outputs = net["outputs"].Int(1, 1);
        var hidden = net["hidden"].Items(64).Select(h => h.Int(1, 1_000_000)).ToArray();
        string activationName = net["activation"].Text();
        if (!ActivationNames.TryParse(activationName, out var activation)) throw net["activation"].Error($"unknown activation '{activationName}'");
        var shape = new NetworkShape(inputs, hidden, outputs, activation);
        // Every number takes at least two bytes ("0,"): a shape the file cannot hold is refused before allocating for it.
        if (2L * shape.ParameterCount > bytes.Length)
            throw net.Error($"the network {shape} has {shape.ParameterCount:N0} parameters, more than a file of {bytes.Length:N0} bytes holds");
        var precision = Choices.Precisions.TryGetValue(root["precision"].Text(), out var p) ? p : throw root["precision"].Error("expected float32 or float64");

        var layers = root["layers"].Items(shape.LayerCount);
        if (layers.Count != shape.LayerCount) throw root["layers"].Error($"the network {shape} has {shape.LayerCount} layers, the file {layers.Count}");
        var parameters = new double[shape.ParameterCount];
        for (int l = 0; l < layers.Count; l++)
        {
            var slot = shape.Slots[l];
            var rows = Exactly(layers[l]["weights"], slot.FanOut, $"rows (one per unit of layer {l})");
            for (int o = 0; o < slot.FanOut; o++)
            {
                var row = Exactly(rows[o], slot.FanIn, "weights (one per input of the layer)");
                for (int i = 0; i < slot.FanIn; i++) parameters[slot.WeightOffset + o * slot.FanIn + i] = row[i].FiniteNumber();
            }
            var biases = Exactly(layers[l]["biases"], slot.FanOut, "biases");
            for (int o = 0; o < slot.FanOut; o++) parameters[slot.BiasOffset + o] = biases[o].FiniteNumber();
        }
        if (precision == Precision.Float32) // written in float32's shortest form: read back to the same float32
            for (int i = 0; i < parameters.Length; i++) parameters[i] = (float)parameters[i];
        return new SavedBestModel(shape, CheckpointJson.ReadNormalization(root["normalization"], inputs), parameters,
            root["step"].Int(0, int.MaxValue), root["loss"].Number(), precision);
    }

    static IReadOnlyList<JsonField> Exactly(JsonField f, int count, string what)
    {
        var items = f.Items(count);
        return items.Count == count ? items : throw f.Error($"expected {count} {what}, got {items.Count}");
    }
}
