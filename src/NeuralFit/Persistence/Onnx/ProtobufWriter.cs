using System.Buffers.Binary;
using System.Text;

namespace NeuralFit.Persistence.Onnx;

/// <summary>
/// The few pieces of the protobuf wire format an ONNX file needs (https://protobuf.dev/programming-guides/encoding/):
/// a key is (field number &lt;&lt; 3 | wire type); varints carry integers, length-delimited fields carry strings,
/// bytes, packed arrays and nested messages. Writing only, fields in the order given.
/// </summary>
sealed class ProtobufWriter
{
    const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
    readonly MemoryStream _buffer = new();

    public byte[] ToArray() => _buffer.ToArray();

    public ProtobufWriter Int(int field, long value)
    {
        Key(field, Varint);
        WriteVarint((ulong)value); // negative values take ten bytes, as protobuf's int64 does
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Key(field, Fixed32);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Key(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    /// <summary>A nested message: written into its own buffer first, since its length comes before it.</summary>
    public ProtobufWriter Message(int field, Action<ProtobufWriter> write)
    {
        var inner = new ProtobufWriter();
        write(inner);
        return Bytes(field, inner._buffer.GetBuffer().AsSpan(0, (int)inner._buffer.Length));
    }

    void Key(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
