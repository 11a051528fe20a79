using static NeuralFit.Persistence.Onnx.OnnxSchema;

namespace NeuralFit.Persistence.Onnx;

/// <summary>
/// The shapes an ONNX file declares for its graph's outputs, read from the protobuf itself: ONNX Runtime reports a
/// declared shape that disagrees with what it infers as unknown, and only warns, on stderr, when the model runs. A
/// dimension is its size, or -1 when it is symbolic ("N") or missing. Reading is bounded by the bytes and refuses
/// nothing: a damaged file yields what could be read, and ONNX Runtime refuses it on loading.
/// </summary>
internal static class OnnxDeclaredShapes
{
    /// <summary>Each graph output's name and declared dimensions (null when it declares no shape).</summary>
    public static IReadOnlyList<(string Name, long[]? Dims)> Outputs(ReadOnlyMemory<byte> model)
    {
        var outputs = new List<(string, long[]?)>();
        foreach (var graph in Fields(model, Model.Graph))
            foreach (var value in Fields(graph, Graph.Output))
                outputs.Add((Text(value, ValueInfo.Name), Dims(value)));
        return outputs;
    }

    static long[]? Dims(ReadOnlyMemory<byte> valueInfo)
    {
        foreach (var type in Fields(valueInfo, ValueInfo.Type))
            foreach (var tensor in Fields(type, TypeProto.TensorType))
                foreach (var shape in Fields(tensor, TensorType.Shape))
                {
                    var dims = new List<long>();
                    foreach (var dim in Fields(shape, TensorShape.Dim)) dims.Add(Varint(dim, Dimension.DimValue) ?? -1);
                    return dims.ToArray();
                }
        return null;
    }

    static string Text(ReadOnlyMemory<byte> message, int field)
    {
        foreach (var bytes in Fields(message, field)) return System.Text.Encoding.UTF8.GetString(bytes.Span);
        return "";
    }

    /// <summary>The length-delimited fields numbered <paramref name="field"/> of a message, in order (views, not copies:
    /// a graph's field holds every weight).</summary>
    static List<ReadOnlyMemory<byte>> Fields(ReadOnlyMemory<byte> message, int field)
    {
        var found = new List<ReadOnlyMemory<byte>>();
        Walk(message.Span, (number, wireType, value, start, length) => { if (number == field && wireType == 2) found.Add(message.Slice(start, length)); });
        return found;
    }

    static long? Varint(ReadOnlyMemory<byte> message, int field)
    {
        long? found = null;
        Walk(message.Span, (number, wireType, value, _, _) => { if (number == field && wireType == 0) found = (long)value; });
        return found;
    }

    delegate void FieldVisitor(int number, int wireType, ulong value, int start, int length);

    /// <summary>Every field of a protobuf message: wire types 0 (varint), 1 (64-bit), 2 (length-delimited), 5 (32-bit).</summary>
    static void Walk(ReadOnlySpan<byte> message, FieldVisitor visit)
    {
        int at = 0;
        while (at < message.Length)
        {
            if (!ReadVarint(message, ref at, out ulong key)) return;
            int number = (int)(key >> 3), wireType = (int)(key & 7);
            switch (wireType)
            {
                case 0:
                    if (!ReadVarint(message, ref at, out ulong v)) return;
                    visit(number, 0, v, 0, 0);
                    break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    if (!ReadVarint(message, ref at, out ulong length) || length > (ulong)(message.Length - at)) return;
                    visit(number, 2, 0, at, (int)length);
                    at += (int)length;
                    break;
                default: return; // groups (3, 4) are not in ONNX; anything else is damage
            }
        }
    }

    static bool ReadVarint(ReadOnlySpan<byte> s, ref int at, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && at < s.Length; shift += 7)
        {
            byte b = s[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return true;
        }
        return false;
    }
}
