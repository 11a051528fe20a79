using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Files;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;

namespace NeuralFit.Persistence;

/// <summary>
/// Reads a model file and checks all of it before anything is built: the format and its version, the widths and
/// the parameter count (before any array is allocated), every row length, every number finite and in range, the
/// normaliser, the input names. Every problem is an <see cref="InputError"/> naming the file and the JSON path.
/// </summary>
internal static class ModelFileReader
{
    /// <summary>About 20 bytes a parameter: room for 10 million parameters.</summary>
    public const long MaxFileBytes = 256L << 20;

    /// <summary>Wider than any network NeuralFit trains; a larger width is a damaged or foreign file.</summary>
    public const int MaxWidth = 1_000_000;
    public const long MaxParameters = 20_000_000;
    public const int MaxHiddenLayers = 64;

    /// <summary>How model files are read: bounded, whatever the path names.</summary>
    public static readonly InputFile Input = new("model file", "a model file", MaxFileBytes);

    public static SavedModel Load(string path)
    {
        return Parse(Input.ReadAllBytes(path), Path.GetFileName(path));
    }

    public static SavedModel Parse(ReadOnlySpan<byte> utf8, string source)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..]; // a byte-order mark, as an editor on Windows may add: no part of the JSON
        if (utf8.Trim(" \t\r\n"u8).IsEmpty) throw new InputError($"{source} is empty, so not a model file");
        // An ONNX file is a protobuf ModelProto whose first field is ir_version: key 0x08, then a small varint.
        if (utf8.Length >= 2 && utf8[0] == 0x08 && utf8[1] < 0x80)
            throw new InputError($"{source}: this is an ONNX file, not a NeuralFit model file (.json)");
        // JsonDocument accepts invalid UTF-8 inside strings and only fails later, when the string is read.
        if (!System.Text.Unicode.Utf8.IsValid(utf8)) throw new InputError($"{source}: not valid UTF-8 text, so not a model file");
        JsonDocument doc;
        try { doc = JsonDocument.Parse(utf8.ToArray(), new JsonDocumentOptions { MaxDepth = 64 }); }
        catch (JsonException e)
        {
            throw new InputError($"{source}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}");
        }
        using (doc)
        {
            JsonText.Check(doc.RootElement, source);
            return new Reader(source).Read(doc.RootElement);
        }
    }

    sealed class Reader(string source)
    {
        InputError Error(string path, string message) => new($"{source}: {path}: {message}");

        public SavedModel Read(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw new InputError($"{source}: expected a JSON object, a NeuralFit model file");
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != ModelFile.Format)
                throw new InputError($"{source}: not a NeuralFit model file (it lacks \"format\": \"{ModelFile.Format}\")");
            long version = Integer(root, "formatVersion", 1, long.MaxValue);
            if (version > ModelFile.FormatVersion)
                throw Error("formatVersion", $"the file has format version {version}, written by a newer NeuralFit; this one reads version {ModelFile.FormatVersion}");
            Known(root, "", "format", "formatVersion", "writtenBy", "inputs", "target", "outputs", "targets", "domain", "network", "normalization", "training");

            var network = Object(root, "network");
            Known(network, "network", "widths", "activation", "outputActivation", "precision", "parameterCount", "layers");
            var widths = Widths(network);
            var activation = ActivationOf(network, "network.activation", "activation");
            if (network.TryGetProperty("outputActivation", out var outAct)
                && (outAct.ValueKind != JsonValueKind.String || outAct.GetString() != Activation.Linear.Name()))
                throw Error("network.outputActivation", $"must be \"linear\", got {outAct}");
            var precision = Text(network, "precision", "network.precision") switch
            {
                "float32" => Precision.Float32,
                "float64" => Precision.Float64,
                var p => throw Error("network.precision", $"must be \"float32\" or \"float64\", got \"{p}\""),
            };
            var shape = new NetworkShape(widths[0], widths[1..^1], widths[^1], activation);
            if (network.TryGetProperty("parameterCount", out var count) && (count.ValueKind != JsonValueKind.Number || !count.TryGetInt64(out long c) || c != shape.ParameterCount))
                throw Error("network.parameterCount", $"is {count}, but widths {string.Join("-", widths)} have {shape.ParameterCount} parameters");
            var parameters = Parameters(network, shape, precision);
            var normalization = Normalization(Object(root, "normalization", "normalization"), shape.Inputs, shape.Outputs);
            var names = InputNames(root, shape.Inputs);
            var outputs = Names(root, "outputs", shape.Outputs, "outputs") ?? SavedModel.DefaultOutputNames(shape.Outputs);
            var targets = Names(root, "targets", shape.Outputs, "target expressions");

            FittedModel model = precision == Precision.Float32
                ? new FittedModel<float>(new Mlp<float>(shape, parameters.Select(v => (float)v).ToArray()), normalization) { InputNames = names, TargetNames = outputs }
                : new FittedModel<double>(new Mlp<double>(shape, parameters), normalization) { InputNames = names, TargetNames = outputs };
            return new SavedModel
            {
                Model = model,
                InputNames = names,
                Target = root.TryGetProperty("target", out var t) ? Text(root, "target", "target") : null,
                Targets = targets,
                Domain = Domain(root, shape.Inputs),
                Training = root.TryGetProperty("training", out var training) ? Training(training) : null,
            };
        }

        int[] Widths(JsonElement network)
        {
            var array = Array(network, "widths", "network.widths");
            int n = array.GetArrayLength();
            if (n < 2 || n > MaxHiddenLayers + 2) throw Error("network.widths", $"needs 2 to {MaxHiddenLayers + 2} entries (inputs, hidden widths, outputs), got {n}");
            var widths = new int[n];
            long parameters = 0;
            for (int i = 0; i < n; i++)
            {
                var e = array[i];
                if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out widths[i]) || widths[i] < 1 || widths[i] > MaxWidth)
                    throw Error($"network.widths[{i}]", $"must be a whole number from 1 to {MaxWidth:N0}, got {e}");
                if (i > 0) parameters += (long)widths[i - 1] * widths[i] + widths[i];
            }
            if (parameters > MaxParameters) throw Error("network.widths", $"{parameters:N0} parameters, more than the {MaxParameters:N0} a model file may hold");
            return widths;
        }

        double[] Parameters(JsonElement network, NetworkShape shape, Precision precision)
        {
            var layers = Array(network, "layers", "network.layers");
            if (layers.GetArrayLength() != shape.LayerCount)
                throw Error("network.layers", $"has {layers.GetArrayLength()} layers, but widths {shape} need {shape.LayerCount}");
            var parameters = new double[shape.ParameterCount];
            for (int l = 0; l < shape.LayerCount; l++)
            {
                string at = $"network.layers[{l}]";
                var layer = layers[l];
                if (layer.ValueKind != JsonValueKind.Object) throw Error(at, "must be an object with weights and biases");
                Known(layer, at, "activation", "weights", "biases");
                var expected = l == shape.LayerCount - 1 ? Activation.Linear : shape.Activation;
                if (layer.TryGetProperty("activation", out _) && ActivationOf(layer, $"{at}.activation", "activation") != expected)
                    throw Error($"{at}.activation", $"must be \"{expected.Name()}\" (the network's {(expected == Activation.Linear ? "output layer is linear" : "activation")})");
                var slot = shape.Slots[l];
                var rows = Array(layer, "weights", $"{at}.weights");
                if (rows.GetArrayLength() != slot.FanOut)
                    throw Error($"{at}.weights", $"has {rows.GetArrayLength()} rows, expected {slot.FanOut} (one per unit)");
                for (int o = 0; o < slot.FanOut; o++)
                    Numbers(rows[o], $"{at}.weights[{o}]", slot.FanIn, precision, parameters.AsSpan(slot.WeightOffset + o * slot.FanIn, slot.FanIn));
                Numbers(Array(layer, "biases", $"{at}.biases"), $"{at}.biases", slot.FanOut, precision, parameters.AsSpan(slot.BiasOffset, slot.FanOut));
            }
            return parameters;
        }

        void Numbers(JsonElement array, string at, int length, Precision precision, Span<double> into)
        {
            if (array.ValueKind != JsonValueKind.Array) throw Error(at, $"must be an array of {length} numbers");
            if (array.GetArrayLength() != length) throw Error(at, $"has {array.GetArrayLength()} numbers, expected {length}");
            int i = 0;
            foreach (var e in array.EnumerateArray())
            {
                bool ok = e.ValueKind == JsonValueKind.Number && (precision == Precision.Float32
                    ? TryGetFloat(e, out into[i])
                    : e.TryGetDouble(out into[i]) && double.IsFinite(into[i]));
                if (!ok) throw Error($"{at}[{i}]", $"must be a finite {(precision == Precision.Float32 ? "float32" : "float64")} number, got {Short(e)}");
                i++;
            }
        }

        /// <summary>Parsed straight to float (not through double), so the float written is the float read.</summary>
        static bool TryGetFloat(JsonElement e, out double value)
        {
            bool ok = e.TryGetSingle(out float f) && float.IsFinite(f);
            value = f;
            return ok;
        }

        Normalization Normalization(JsonElement o, int inputs, int outputs)
        {
            Known(o, "normalization", "formula", "inputs", "target", "targets");
            var array = Array(o, "inputs", "normalization.inputs");
            if (array.GetArrayLength() != inputs)
                throw Error("normalization.inputs", $"has {array.GetArrayLength()} entries, expected one per input ({inputs})");
            var maps = new AffineMap[inputs];
            for (int k = 0; k < inputs; k++) maps[k] = Map(array[k], $"normalization.inputs[{k}]");
            var target = Map(Object(o, "target", "normalization.target"), "normalization.target");
            if (outputs == 1)
            {
                if (o.TryGetProperty("targets", out _)) throw Error("normalization.targets", "is for a network of several outputs; this one has one");
                return new Normalization(maps, target);
            }
            var list = Array(o, "targets", "normalization.targets");
            if (list.GetArrayLength() != outputs)
                throw Error("normalization.targets", $"has {list.GetArrayLength()} entries, expected one per output ({outputs})");
            var targets = new AffineMap[outputs];
            for (int k = 0; k < outputs; k++) targets[k] = Map(list[k], $"normalization.targets[{k}]");
            if (targets[0] != target) throw Error("normalization.target", "differs from normalization.targets[0], which it must repeat");
            return Preprocessing.Normalization.Of(maps, targets);
        }

        /// <summary>An optional list of one non-empty name per output.</summary>
        string[]? Names(JsonElement root, string key, int outputs, string what)
        {
            if (!root.TryGetProperty(key, out _)) return null;
            if (outputs == 1) throw Error(key, $"lists {what} of several outputs; this network has one");
            var array = Array(root, key, key);
            if (array.GetArrayLength() != outputs) throw Error(key, $"has {array.GetArrayLength()} entries, but the network has {outputs} outputs");
            var names = array.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString())
                ? e.GetString()!.Trim() : throw Error($"{key}[{i}]", $"must be a non-empty text, got {Short(e)}")).ToArray();
            int hidden = System.Array.FindIndex(names, n => n.Any(Targets.Datasets.InputNames.IsHidden));
            if (hidden >= 0) throw Error($"{key}[{hidden}]", "may not hold control characters: names are printed and typed");
            return names;
        }

        AffineMap Map(JsonElement o, string at)
        {
            if (o.ValueKind != JsonValueKind.Object) throw Error(at, "must be an object {\"shift\": …, \"scale\": …}");
            Known(o, at, "shift", "scale");
            double shift = Finite(o, "shift", $"{at}.shift"), scale = Finite(o, "scale", $"{at}.scale");
            if (scale == 0) throw Error($"{at}.scale", "must not be 0");
            return new AffineMap(shift, scale);
        }

        string[] InputNames(JsonElement root, int inputs)
        {
            if (!root.TryGetProperty("inputs", out _)) return SavedModel.DefaultInputNames(inputs).ToArray();
            var array = Array(root, "inputs", "inputs");
            if (array.GetArrayLength() != inputs) throw Error("inputs", $"names {array.GetArrayLength()} inputs, but the network takes {inputs}");
            var names = array.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(e.GetString())
                ? e.GetString()!.Trim() : throw Error($"inputs[{i}]", $"must be a non-empty name, got {Short(e)}")).ToArray();
            int hidden = System.Array.FindIndex(names, n => n.Any(Targets.Datasets.InputNames.IsHidden));
            if (hidden >= 0) throw Error($"inputs[{hidden}]", "a name may not hold control characters: names are printed and typed");
            var duplicate = names.GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw Error("inputs", $"names '{duplicate.Key}' twice");
            return names;
        }

        IReadOnlyList<Interval> Domain(JsonElement root, int inputs)
        {
            if (!root.TryGetProperty("domain", out _)) return [];
            var array = Array(root, "domain", "domain");
            if (array.GetArrayLength() != inputs) throw Error("domain", $"has {array.GetArrayLength()} ranges, expected one per input ({inputs})");
            return array.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String
                ? Interval.Parse(e.GetString()!, $"{source}: domain[{i}]") : throw Error($"domain[{i}]", "must be a range \"lo:hi\"")).ToArray();
        }

        TrainingSummary Training(JsonElement t)
        {
            if (t.ValueKind != JsonValueKind.Object) throw Error("training", "must be an object");
            var e = t.TryGetProperty("evaluation", out var ev) ? ev : default;
            if (e.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Object)) throw Error("training.evaluation", "must be an object");
            bool hasEval = e.ValueKind == JsonValueKind.Object;
            Known(t, "training", "steps", "wallSeconds", "stopReason", "finalLoss", "evaluation", "savedAt", "config");
            if (hasEval) Known(e, "training.evaluation", "domain", "points", "mse", "maxAbsError", "r2");
            if (t.TryGetProperty("config", out var config) && config.ValueKind == JsonValueKind.Object)
                foreach (var key in config.EnumerateObject())
                    if (!Settings.ByKey.ContainsKey(key.Name))
                        throw Error($"training.config.{key.Name}", $"unknown setting{Suggestions.Nearest(key.Name, Settings.ByKey.Keys)}");
            return new TrainingSummary
            {
                Steps = (int)Integer(t, "steps", 0, int.MaxValue, "training.steps"),
                WallSeconds = t.TryGetProperty("wallSeconds", out _) ? Finite(t, "wallSeconds", "training.wallSeconds") : 0,
                StopReason = t.TryGetProperty("stopReason", out _) ? Text(t, "stopReason", "training.stopReason") : "completed",
                FinalLoss = Optional(t, "finalLoss", "training.finalLoss"),
                EvaluationDomain = hasEval && e.TryGetProperty("domain", out _) ? Text(e, "domain", "training.evaluation.domain") : null,
                EvaluationPoints = hasEval && e.TryGetProperty("points", out _) ? (int)Integer(e, "points", 0, int.MaxValue, "training.evaluation.points") : null,
                Mse = hasEval ? Optional(e, "mse", "training.evaluation.mse") : null,
                MaxAbsError = hasEval ? Optional(e, "maxAbsError", "training.evaluation.maxAbsError") : null,
                R2 = hasEval ? Optional(e, "r2", "training.evaluation.r2") : null,
                Config = t.TryGetProperty("config", out var c) ? c.ValueKind == JsonValueKind.Object ? JsonNode.Parse(c.GetRawText())!.AsObject() : throw Error("training.config", "must be an object") : null,
                SavedAt = t.TryGetProperty("savedAt", out var at) ? at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : throw Error("training.savedAt", "must be a date such as 2025-01-31T12:00:00Z") : null,
            };
        }

        /// <summary>Refuses a key the format does not have: a misspelt or foreign field is not silently ignored.</summary>
        void Known(JsonElement o, string at, params string[] keys)
        {
            foreach (var property in o.EnumerateObject())
                if (System.Array.IndexOf(keys, property.Name) < 0)
                    throw Error(at.Length == 0 ? property.Name : $"{at}.{property.Name}", $"unknown key{Suggestions.Nearest(property.Name, keys)}; a model file has {string.Join(", ", keys)}");
        }

        Activation ActivationOf(JsonElement o, string at, string key)
        {
            string name = Text(o, key, at);
            return ActivationNames.TryParse(name, out var a) ? a
                : throw Error(at, $"unknown activation \"{name}\"{Suggestions.Nearest(name, ActivationNames.All)}");
        }

        JsonElement Object(JsonElement o, string key, string? at = null)
        {
            if (!o.TryGetProperty(key, out var v)) throw Error(at ?? key, "is missing");
            return v.ValueKind == JsonValueKind.Object ? v : throw Error(at ?? key, "must be an object");
        }

        JsonElement Array(JsonElement o, string key, string at)
        {
            if (!o.TryGetProperty(key, out var v)) throw Error(at, "is missing");
            return v.ValueKind == JsonValueKind.Array ? v : throw Error(at, $"must be an array, got {Short(v)}");
        }

        string Text(JsonElement o, string key, string at)
        {
            if (!o.TryGetProperty(key, out var v)) throw Error(at, "is missing");
            return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw Error(at, $"must be a string, got {Short(v)}");
        }

        long Integer(JsonElement o, string key, long lo, long hi, string? at = null)
        {
            if (!o.TryGetProperty(key, out var v)) throw Error(at ?? key, "is missing");
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt64(out long x) || x < lo || x > hi)
                throw Error(at ?? key, $"must be a whole number from {lo} to {hi}, got {Short(v)}");
            return x;
        }

        double Finite(JsonElement o, string key, string at)
        {
            if (!o.TryGetProperty(key, out var v)) throw Error(at, "is missing");
            return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double x) && double.IsFinite(x) ? x
                : throw Error(at, $"must be a finite number, got {Short(v)}");
        }

        double? Optional(JsonElement o, string key, string at) =>
            !o.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null ? null : Finite(o, key, at);

        static string Short(JsonElement e)
        {
            string text = e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.GetRawText();
            return text.Length > 40 ? text[..37] + "..." : text;
        }
    }
}
