using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using NeuralFit.Networks;

namespace NeuralFit.Persistence;

/// <summary>
/// The model file: one self-describing JSON document holding the format version, the network's widths and
/// activation, every weight and bias (one row of weights per unit, as torch.nn.Linear stores them), the
/// normaliser, the input names, the target and domain, and a training summary.
/// <code>
/// u_k = (x_k − normalization.inputs[k].shift) / normalization.inputs[k].scale
/// h   = activation(W h + b) for each hidden layer, then the linear output layer
/// y   = output · normalization.target.scale + normalization.target.shift
/// </code>
/// Numbers are written shortest-round-trip in the model's precision, so a loaded model predicts bit for bit what
/// the saved one did. Files are written atomically; <see cref="ModelFileReader"/> checks everything it reads.
/// </summary>
internal static class ModelFile
{
    public const string Format = "neuralfit-model";
    public const int FormatVersion = 1;

    public static void Save(SavedModel model, string path) =>
        AtomicFile.Write(path, stream => Write(model, stream));

    public static SavedModel Load(string path) => ModelFileReader.Load(path);

    public static string ToJson(SavedModel model)
    {
        using var stream = new MemoryStream();
        Write(model, stream);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(SavedModel saved, Stream stream)
    {
        var model = saved.Model;
        var shape = model.Shape;
        // A model file holds finite numbers only (its reader refuses anything else): a model that is not finite is not saved.
        int bad = Array.FindIndex(model.ParametersAsDouble(), v => !double.IsFinite(v));
        if (bad >= 0) throw new InputError($"the model cannot be saved: parameter [{bad}] is not finite (the run diverged before any finite model was kept)");
        if (model.Normalization.Inputs.Concat(model.Normalization.Targets).Any(m => !double.IsFinite(m.Shift) || !double.IsFinite(m.Scale)))
            throw new InputError("the model cannot be saved: its normaliser is not finite");
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        w.WriteStartObject();
        w.WriteString("format", Format);
        w.WriteNumber("formatVersion", FormatVersion);
        w.WriteString("writtenBy", SavedModel.Producer);
        w.WriteStartArray("inputs");
        foreach (var name in saved.InputNames) w.WriteStringValue(name);
        w.WriteEndArray();
        if (saved.Target is not null) w.WriteString("target", saved.Target);
        if (shape.Outputs > 1)
        {
            // several outputs: their names, and the expressions when they were fitted from expressions
            w.WriteStartArray("outputs");
            foreach (var name in model.TargetNames) w.WriteStringValue(name);
            w.WriteEndArray();
            if (saved.Targets is { Count: > 1 } targets)
            {
                w.WriteStartArray("targets");
                foreach (var expression in targets) w.WriteStringValue(expression);
                w.WriteEndArray();
            }
        }
        if (saved.Domain.Count > 0)
        {
            w.WriteStartArray("domain");
            foreach (var r in saved.Domain) w.WriteStringValue(r.ToString());
            w.WriteEndArray();
        }

        w.WriteStartObject("network");
        w.WriteRaw("widths", Numbers(shape.Widths.Select(v => (double)v)));
        w.WriteString("activation", shape.Activation.Name());
        w.WriteString("outputActivation", Activation.Linear.Name());
        w.WriteString("precision", saved.Precision == Configuration.Precision.Float32 ? "float32" : "float64");
        w.WriteNumber("parameterCount", shape.ParameterCount);
        w.WriteStartArray("layers");
        var parameters = model.ParametersAsDouble();
        bool single = saved.Precision == Configuration.Precision.Float32;
        for (int l = 0; l < shape.LayerCount; l++)
        {
            var slot = shape.Slots[l];
            w.WriteStartObject();
            w.WriteString("activation", (l == shape.LayerCount - 1 ? Activation.Linear : shape.Activation).Name());
            w.WriteStartArray("weights"); // one row of fanIn weights per unit
            for (int o = 0; o < slot.FanOut; o++)
                w.WriteRawValue(Numbers(parameters.AsSpan(slot.WeightOffset + o * slot.FanIn, slot.FanIn).ToArray(), single));
            w.WriteEndArray();
            w.WriteRaw("biases", Numbers(parameters.AsSpan(slot.BiasOffset, slot.FanOut).ToArray(), single));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();

        w.WriteStartObject("normalization");
        w.WriteString("formula", "u = (x - shift) / scale for each input; y = output * target.scale + target.shift");
        w.WriteStartArray("inputs");
        foreach (var map in model.Normalization.Inputs) WriteMap(w, null, map);
        w.WriteEndArray();
        WriteMap(w, "target", model.Normalization.Target);
        if (shape.Outputs > 1)
        {
            w.WriteStartArray("targets"); // one per output; "target" is the first
            foreach (var map in model.Normalization.Targets) WriteMap(w, null, map);
            w.WriteEndArray();
        }
        w.WriteEndObject();

        if (saved.Training is { } t) WriteTraining(w, t);
        w.WriteEndObject();
        w.Flush();
        stream.WriteByte((byte)'\n');
    }

    static void WriteMap(Utf8JsonWriter w, string? name, Preprocessing.AffineMap map)
    {
        if (name is null) w.WriteStartObject(); else w.WriteStartObject(name);
        w.WriteNumber("shift", map.Shift);
        w.WriteNumber("scale", map.Scale);
        w.WriteEndObject();
    }

    static void WriteTraining(Utf8JsonWriter w, TrainingSummary t)
    {
        w.WriteStartObject("training");
        w.WriteNumber("steps", t.Steps);
        w.WriteNumber("wallSeconds", Math.Round(t.WallSeconds, 4));
        w.WriteString("stopReason", t.StopReason);
        if (t.FinalLoss is double loss) w.WriteNumber("finalLoss", loss);
        if (t.EvaluationDomain is not null || t.Mse is not null)
        {
            w.WriteStartObject("evaluation");
            if (t.EvaluationDomain is not null) w.WriteString("domain", t.EvaluationDomain);
            if (t.EvaluationPoints is int points) w.WriteNumber("points", points);
            if (t.Mse is double mse) w.WriteNumber("mse", mse);
            if (t.MaxAbsError is double max) w.WriteNumber("maxAbsError", max);
            if (t.R2 is double r2) w.WriteNumber("r2", r2);
            w.WriteEndObject();
        }
        if (t.SavedAt is DateTimeOffset at) w.WriteString("savedAt", at.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        if (t.Config is not null)
        {
            w.WritePropertyName("config");
            t.Config.WriteTo(w);
        }
        w.WriteEndObject();
    }

    static void WriteRaw(this Utf8JsonWriter w, string name, string rawJson)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(rawJson);
    }

    /// <summary>A JSON array on one line: a model of a few thousand weights stays a readable file.</summary>
    static string Numbers(IEnumerable<double> values, bool single = false)
    {
        var s = new StringBuilder("[");
        foreach (double v in values)
        {
            if (s.Length > 1) s.Append(", ");
            // float's shortest round-trip form reads back as the same float; the double form of a float is longer
            s.Append(single ? ((float)v).ToString("R", CultureInfo.InvariantCulture) : v.ToString("R", CultureInfo.InvariantCulture));
        }
        return s.Append(']').ToString();
    }
}
