namespace NeuralFit.Persistence.Onnx;

/// <summary>
/// Field numbers and enum values of the ONNX messages written, copied from onnx/onnx.proto
/// (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto). Only what a feed-forward graph needs.
/// </summary>
static class OnnxSchema
{
    /// <summary>IR version 7 is the one that came with opset 13 (ONNX 1.8); any runtime since reads it.</summary>
    public const long IrVersion = 7;
    public const long Opset = 13;

    public static class Model
    {
        public const int IrVersion = 1, ProducerName = 2, ProducerVersion = 3, Domain = 4, ModelVersion = 5, DocString = 6,
            Graph = 7, OpsetImport = 8, MetadataProps = 14;
    }

    public static class OperatorSetId { public const int Domain = 1, Version = 2; }

    public static class StringStringEntry { public const int Key = 1, Value = 2; }

    public static class Graph { public const int Node = 1, Name = 2, Initializer = 5, DocString = 10, Input = 11, Output = 12; }

    public static class Node { public const int Input = 1, Output = 2, Name = 3, OpType = 4, Attribute = 5; }

    public static class AttributeField
    {
        public const int Name = 1, F = 2, I = 3, Type = 20;
        public const int TypeFloat = 1, TypeInt = 2; // AttributeProto.AttributeType
    }

    public static class Tensor
    {
        public const int Dims = 1, DataType = 2, Name = 8, RawData = 9;
        public const int Float = 1; // TensorProto.DataType.FLOAT
    }

    public static class ValueInfo { public const int Name = 1, Type = 2; }

    public static class TypeProto { public const int TensorType = 1; }

    public static class TensorType { public const int ElemType = 1, Shape = 2; }

    public static class TensorShape { public const int Dim = 1; }

    public static class Dimension { public const int DimValue = 1, DimParam = 2; }
}
