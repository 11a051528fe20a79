using Microsoft.CodeAnalysis;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;

namespace NeuralFit.Tests.Persistence;

/// <summary>The generated C# compiles on its own and computes what the model computes.</summary>
public class CSharpExportTests(ITestOutputHelper output)
{
    const string Harness = """
        public static class Harness
        {
            public static double[] Run(double[] x, int inputs)
            {
                var y = new double[x.Length / inputs];
                for (int i = 0; i < y.Length; i++) y[i] = NeuralFitModels.Generated.Predict(new System.ReadOnlySpan<double>(x, i * inputs, inputs));
                return y;
            }
        }
        """;

    [Theory]
    [MemberData(nameof(TestModels.Activations), MemberType = typeof(TestModels))]
    public void GeneratedCodeMatchesTheModelForEveryActivation(Activation activation) => Compare(TestModels.Trained(activation), activation.Name());

    [Fact]
    public void Float64AndTwoInputModelsToo()
    {
        Compare(TestModels.Trained(Activation.Gelu, Precision.Float64), "gelu float64");
        Compare(TestModels.Trained(Activation.Tanh, inputs: 2), "tanh, 2 inputs");
    }

    [Fact]
    public void TheOneValueOverloadTakesTheInputByName()
    {
        var code = CSharpExport.Generate(TestModels.Trained(Activation.Tanh, inputs: 2), "Generated", "NeuralFitModels");
        Assert.Contains("public static double Predict(double x1, double x2)", code);
        Assert.DoesNotContain("using ", code); // nothing outside the base library
    }

    [Theory]
    [InlineData("my-model.cs", "Mymodel")]
    [InlineData("3d.cs", "Model3d")]
    [InlineData("Model.cs", "Model")]
    public void ClassNamesComeFromTheFileName(string file, string expected) => Assert.Equal(expected, CSharpExport.ClassNameFor(file));

    void Compare(SavedModel model, string label)
    {
        var code = CSharpExport.Generate(model, "Generated", "NeuralFitModels");
        var assembly = CSharpCompiler.Load(CSharpCompiler.Compile($"Generated_{Guid.NewGuid():N}", OutputKind.DynamicallyLinkedLibrary, [code, Harness]));
        var run = assembly.GetType("Harness")!.GetMethod("Run")!;
        var x = TestModels.Points(model, 1000);
        var expected = model.Model.Predict(x.AsSpan());
        var actual = (double[])run.Invoke(null, [x, model.Model.Shape.Inputs])!;
        double max = TestModels.MaxRelativeDifference(expected, actual);
        int identical = expected.Zip(actual).Count(p => p.First == p.Second);
        output.WriteLine($"generated C# vs NeuralFit, {label}: max relative difference {max:0.0e+00}; {identical} of {x.Length / model.Model.Shape.Inputs} identical");
        Assert.True(max <= 1e-6, $"{label}: max relative difference {max:G3}");
    }
}
