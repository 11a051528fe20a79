using Microsoft.ML.OnnxRuntime;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;

namespace NeuralFit.Tests.Persistence;

/// <summary>Exported ONNX graphs, run by ONNX Runtime, give NeuralFit's predictions to 1e-5 relative.</summary>
public class OnnxExportTests(ITestOutputHelper output)
{
    const int Points = 1000;
    const double Tolerance = 1e-5;

    [Theory]
    [MemberData(nameof(TestModels.Activations), MemberType = typeof(TestModels))]
    public void OnnxRuntimeMatchesNeuralFitForEveryActivation(Activation activation) => Compare(TestModels.Trained(activation), activation.Name());

    [Theory]
    [InlineData(Activation.Tanh)]
    [InlineData(Activation.Gelu)]
    [InlineData(Activation.Relu)]
    public void Float64ModelsExportToo(Activation activation) =>
        Compare(TestModels.Trained(activation, Precision.Float64), $"{activation.Name()} float64");

    [Fact]
    public void TwoInputModelsTakeOneColumnPerInput() =>
        Compare(TestModels.Trained(Activation.Silu, inputs: 2), "silu, 2 inputs");

    [Fact]
    public void TheFileDeclaresOpset13AndCarriesTheInputNames()
    {
        var model = TestModels.Trained(Activation.Tanh, inputs: 2);
        using var session = new InferenceSession(OnnxExport.ToBytes(model));
        Assert.Equal("x1,x2", session.ModelMetadata.CustomMetadataMap[OnnxExport.InputNamesKey]);
        Assert.Equal([-1, 2], session.InputMetadata[OnnxExport.InputName].Dimensions);
        Assert.Equal("NeuralFit", session.ModelMetadata.ProducerName);
        var bytes = OnnxExport.ToBytes(model);
        // OperatorSetIdProto { domain "" , version 13 } as the last opset_import field: 0x42 len 0x0a 0x00 0x10 0x0d
        Assert.True(bytes.AsSpan().IndexOf(new byte[] { 0x0a, 0x00, 0x10, 0x0d }) > 0, "opset 13 not declared");
    }

    void Compare(SavedModel model, string label)
    {
        var x = TestModels.Points(model, Points);
        var expected = model.Model.Predict(x.AsSpan());
        var actual = Run(OnnxExport.ToBytes(model), x, model.Model.Shape.Inputs);
        double max = TestModels.MaxRelativeDifference(expected, actual);
        double plain = TestModels.MaxPlainRelativeDifference(expected, actual);
        output.WriteLine($"ONNX Runtime vs NeuralFit, {label}: max |a-b|/max(|a|,1) = {max:0.0e+00}, max |a-b|/|a| (|a| >= 0.01) = {plain:0.0e+00} on {Points} inputs");
        Assert.True(max <= Tolerance, $"{label}: max relative difference {max:G3} > {Tolerance}");
        Assert.True(plain <= Tolerance, $"{label}: max plain relative difference {plain:G3} > {Tolerance}");
    }

    static double[] Run(byte[] onnx, double[] x, int inputs)
    {
        using var session = new InferenceSession(onnx);
        int n = x.Length / inputs;
        using var tensor = OrtValue.CreateTensorValueFromMemory(x.Select(v => (float)v).ToArray(), [n, inputs]);
        using var options = new RunOptions();
        using var results = session.Run(options, [OnnxExport.InputName], [tensor], [OnnxExport.OutputName]);
        Assert.Equal([n, 1], results[0].GetTensorTypeAndShape().Shape);
        return results[0].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray();
    }
}
