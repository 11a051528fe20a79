using System.Buffers.Binary;
using NeuralFit.Networks;
using static NeuralFit.Persistence.Onnx.OnnxSchema;

namespace NeuralFit.Persistence.Onnx;

/// <summary>
/// Writes a fitted model as a standard ONNX graph (opset 13, float32), normaliser included, so ONNX Runtime or
/// ML.NET gives the same predictions in the user's units:
/// <code>
/// x (N, inputs) → Sub(input_shift) → Div(input_scale) → [Gemm(W, b, transB=1) → activation] per hidden layer
///   → Gemm (output layer) → Mul(target_scale) → Add(target_shift) → y (N, 1)
/// </code>
/// Every activation is a standard operator: Relu, LeakyRelu(alpha 0.01), Elu(alpha 1), Tanh, Sigmoid, Softplus
/// and Sin; exact GELU is 0.5·z·(1 + Erf(z/√2)) and SiLU is z·Sigmoid(z).
/// <para>
/// The protobuf is written by <see cref="ProtobufWriter"/>, a 70-line writer, rather than by Google.Protobuf with
/// classes generated from onnx.proto: the graph uses eight small message types, and the library then needs no
/// protobuf runtime and no code-generation step. ONNX Runtime reading the files back is what the tests check.
/// </para>
/// </summary>
internal static class OnnxExport
{
    public const string InputName = "x", OutputName = "y";
    public const long Opset = OnnxSchema.Opset;

    /// <summary>Metadata keys the file carries, read back by `neuralfit predict` for the input names.</summary>
    public const string InputNamesKey = "neuralfit.inputNames", TargetKey = "neuralfit.target", DomainKey = "neuralfit.domain";

    /// <summary>With several outputs: their names, comma-separated, in the order of y's columns.</summary>
    public const string OutputNamesKey = "neuralfit.outputNames";

    public static void Save(SavedModel model, string path) => AtomicFile.WriteAllBytes(path, ToBytes(model));

    public static byte[] ToBytes(SavedModel saved)
    {
        var graph = new GraphBuilder();
        var model = saved.Model;
        var shape = model.Shape;
        var norm = model.Normalization;
        var parameters = model.ParametersAsDouble();

        string h = graph.Binary("Sub", InputName, graph.Constant("input_shift", [shape.Inputs], norm.Inputs.Select(m => m.Shift)), "x_centred");
        h = graph.Binary("Div", h, graph.Constant("input_scale", [shape.Inputs], norm.Inputs.Select(m => m.Scale)), "u");
        for (int l = 0; l < shape.LayerCount; l++)
        {
            var slot = shape.Slots[l];
            string w = graph.Constant($"layer{l + 1}_weight", [slot.FanOut, slot.FanIn], parameters.Skip(slot.WeightOffset).Take(slot.WeightCount));
            string b = graph.Constant($"layer{l + 1}_bias", [slot.FanOut], parameters.Skip(slot.BiasOffset).Take(slot.FanOut));
            string z = graph.Node("Gemm", [h, w, b], $"layer{l + 1}_z", n => n.Message(Node.Attribute, a => a
                .String(AttributeField.Name, "transB").Int(AttributeField.I, 1).Int(AttributeField.Type, AttributeField.TypeInt)));
            h = l < shape.LayerCount - 1 ? Activate(graph, shape.Activation, z, $"layer{l + 1}") : z;
        }
        // one scale and shift per output column, broadcast over the rows of (N, outputs)
        h = graph.Binary("Mul", h, graph.Constant("target_scale", [shape.Outputs], norm.Targets.Select(m => m.Scale)), "y_scaled");
        graph.Binary("Add", h, graph.Constant("target_shift", [shape.Outputs], norm.Targets.Select(m => m.Shift)), OutputName);

        string description = $"NeuralFit model {shape} {shape.Activation.Name()}" + (saved.Target is null ? "" : $" fitted to {saved.Target}")
            + (saved.Domain.Count > 0 ? $" on {string.Join(", ", saved.Domain)}" : "");
        var file = new ProtobufWriter()
            .Int(Model.IrVersion, OnnxSchema.IrVersion)
            .String(Model.ProducerName, "NeuralFit")
            .String(Model.ProducerVersion, SavedModel.ProducerVersion)
            .Int(Model.ModelVersion, ModelFile.FormatVersion)
            .String(Model.DocString, description)
            .Message(Model.Graph, g => graph.Write(g, "neuralfit", shape.Inputs, shape.Outputs))
            .Message(Model.OpsetImport, o => o.String(OperatorSetId.Domain, "").Int(OperatorSetId.Version, Opset));
        Metadata(file, InputNamesKey, string.Join(",", saved.InputNames));
        if (saved.Target is not null) Metadata(file, TargetKey, saved.Targets is { Count: > 1 } targets ? string.Join("; ", targets) : saved.Target);
        if (shape.Outputs > 1) Metadata(file, OutputNamesKey, string.Join(",", model.TargetNames));
        if (saved.Domain.Count > 0) Metadata(file, DomainKey, string.Join(",", saved.Domain));
        return file.ToArray();
    }

    /// <summary>The hidden activation as ONNX operators; returns the name of its output.</summary>
    static string Activate(GraphBuilder g, Activation act, string z, string layer)
    {
        string a = $"{layer}_a";
        switch (act)
        {
            case Activation.Relu: return g.Node("Relu", [z], a);
            case Activation.LeakyRelu: return g.Node("LeakyRelu", [z], a, n => FloatAttribute(n, "alpha", 0.01f));
            case Activation.Elu: return g.Node("Elu", [z], a, n => FloatAttribute(n, "alpha", 1f));
            case Activation.Tanh: return g.Node("Tanh", [z], a);
            case Activation.Sigmoid: return g.Node("Sigmoid", [z], a);
            case Activation.Softplus: return g.Node("Softplus", [z], a); // PyTorch's threshold 20 changes nothing in float32
            case Activation.Sine: return g.Node("Sin", [z], a);
            case Activation.Linear: return z;
            case Activation.Silu: return g.Binary("Mul", z, g.Node("Sigmoid", [z], $"{layer}_sigmoid"), a);
            case Activation.Gelu:
                string scaled = g.Binary("Mul", z, g.Scalar("inv_sqrt2", 1 / Math.Sqrt(2)), $"{layer}_z_over_sqrt2");
                string erf = g.Node("Erf", [scaled], $"{layer}_erf");
                string onePlus = g.Binary("Add", erf, g.Scalar("one", 1), $"{layer}_one_plus_erf");
                string zTimes = g.Binary("Mul", z, onePlus, $"{layer}_z_times");
                return g.Binary("Mul", zTimes, g.Scalar("half", 0.5), a);
            default: throw new ArgumentOutOfRangeException(nameof(act));
        }
    }

    static void FloatAttribute(ProtobufWriter node, string name, float value) =>
        node.Message(Node.Attribute, a => a.String(AttributeField.Name, name).Float(AttributeField.F, value).Int(AttributeField.Type, AttributeField.TypeFloat));

    static void Metadata(ProtobufWriter file, string key, string value) =>
        file.Message(Model.MetadataProps, e => e.String(StringStringEntry.Key, key).String(StringStringEntry.Value, value));

    /// <summary>Collects nodes and float32 initializers in order, then writes the GraphProto.</summary>
    sealed class GraphBuilder
    {
        readonly List<Action<ProtobufWriter>> _nodes = [];
        readonly List<Action<ProtobufWriter>> _initializers = [];
        readonly HashSet<string> _scalars = [];

        public string Node(string op, string[] inputs, string output, Action<ProtobufWriter>? attributes = null)
        {
            _nodes.Add(n =>
            {
                foreach (var input in inputs) n.String(OnnxSchema.Node.Input, input);
                n.String(OnnxSchema.Node.Output, output);
                n.String(OnnxSchema.Node.Name, $"{output}_{op.ToLowerInvariant()}");
                n.String(OnnxSchema.Node.OpType, op);
                attributes?.Invoke(n);
            });
            return output;
        }

        public string Binary(string op, string left, string right, string output) => Node(op, [left, right], output);

        public string Constant(string name, long[] dims, IEnumerable<double> values)
        {
            var data = values.ToArray();
            var bytes = new byte[data.Length * 4];
            for (int i = 0; i < data.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), (float)data[i]);
            _initializers.Add(t =>
            {
                foreach (long d in dims) t.Int(Tensor.Dims, d);
                t.Int(Tensor.DataType, Tensor.Float).String(Tensor.Name, name).Bytes(Tensor.RawData, bytes);
            });
            return name;
        }

        /// <summary>A rank-0 constant shared by every layer that uses it.</summary>
        public string Scalar(string name, double value) => _scalars.Add(name) ? Constant(name, [], [value]) : name;

        public void Write(ProtobufWriter g, string name, int inputs, int outputs)
        {
            foreach (var node in _nodes) g.Message(Graph.Node, node);
            g.String(Graph.Name, name);
            foreach (var init in _initializers) g.Message(Graph.Initializer, init);
            g.Message(Graph.Input, v => Value(v, InputName, inputs));
            g.Message(Graph.Output, v => Value(v, OutputName, outputs));
        }

        /// <summary>A float tensor of shape (N, columns), N free so any batch size runs.</summary>
        static void Value(ProtobufWriter v, string name, long columns) => v
            .String(ValueInfo.Name, name)
            .Message(ValueInfo.Type, t => t.Message(TypeProto.TensorType, tt => tt
                .Int(TensorType.ElemType, Tensor.Float)
                .Message(TensorType.Shape, s => s
                    .Message(TensorShape.Dim, d => d.String(Dimension.DimParam, "N"))
                    .Message(TensorShape.Dim, d => d.Int(Dimension.DimValue, columns)))));
    }
}
