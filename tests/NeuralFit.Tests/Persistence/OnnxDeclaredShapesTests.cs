using CsCheck;
using NeuralFit.Networks;
using NeuralFit.Persistence.Onnx;

namespace NeuralFit.Tests.Persistence;

/// <summary>The declared output shapes are read from the file's bytes, and reading any bytes never fails.</summary>
public class OnnxDeclaredShapesTests
{
    [Fact]
    public void NeuralFitsOwnExportDeclaresNByOne()
    {
        var (name, dims) = Assert.Single(OnnxDeclaredShapes.Outputs(OnnxExport.ToBytes(TestModels.Trained(Activation.Tanh))));
        Assert.Equal(OnnxExport.OutputName, name);
        Assert.Equal([-1, 1], dims!);
        Assert.Equal([-1, 3], OnnxDeclaredShapes.Outputs(OnnxShapes.Model([null, 1], [null, 3]))[0].Dims!);
    }

    [Fact]
    public void AnyBytesAreReadWithoutFailing()
    {
        var valid = OnnxShapes.Model([null, 1], [null, 3]);
        Gen.Byte.Array[0, 300].Sample(bytes => OnnxDeclaredShapes.Outputs(bytes), iter: 5000);
        // and the valid file with bytes flipped or cut short
        Gen.Select(Gen.Int[0, valid.Length - 1], Gen.Byte, Gen.Int[0, valid.Length]).Sample((at, b, cut) =>
        {
            var damaged = (byte[])valid.Clone();
            damaged[at] = b;
            OnnxDeclaredShapes.Outputs(damaged.AsMemory(0, cut));
        }, iter: 5000);
    }
}
