using NeuralFit.Persistence.Onnx;
using static NeuralFit.Persistence.Onnx.OnnxSchema;

namespace NeuralFit.Tests.Persistence;

/// <summary>Small ONNX files of other shapes than NeuralFit writes, as a user might bring: y = op(x) with the declared shapes given.</summary>
static class OnnxShapes
{
    /// <param name="inputDims">The input's declared dims; null is a free dimension "N".</param>
    /// <param name="op">"Identity", or "Transpose" (which turns (N, 1) into (1, N)).</param>
    public static byte[] Model(long?[] inputDims, long?[] outputDims, string op = "Identity") => new ProtobufWriter()
        .Int(OnnxSchema.Model.IrVersion, IrVersion)
        .String(OnnxSchema.Model.ProducerName, "test")
        .Message(OnnxSchema.Model.Graph, g => g
            .Message(Graph.Node, n => n.String(Node.Input, "x").String(Node.Output, "y").String(Node.Name, "op").String(Node.OpType, op))
            .String(Graph.Name, "shapes")
            .Message(Graph.Input, v => Value(v, "x", inputDims))
            .Message(Graph.Output, v => Value(v, "y", outputDims)))
        .Message(OnnxSchema.Model.OpsetImport, o => o.String(OperatorSetId.Domain, "").Int(OperatorSetId.Version, Opset))
        .ToArray();

    static void Value(ProtobufWriter v, string name, long?[] dims) => v
        .String(ValueInfo.Name, name)
        .Message(ValueInfo.Type, t => t.Message(TypeProto.TensorType, tt =>
        {
            tt.Int(TensorType.ElemType, Tensor.Float);
            tt.Message(TensorType.Shape, s =>
            {
                foreach (var d in dims) s.Message(TensorShape.Dim, x => { if (d is long value) x.Int(Dimension.DimValue, value); else x.String(Dimension.DimParam, "N"); });
            });
        }));
}
