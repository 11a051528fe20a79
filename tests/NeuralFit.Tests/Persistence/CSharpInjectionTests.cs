using System.Reflection;
using System.Text.Json.Nodes;
using CsCheck;
using Microsoft.CodeAnalysis;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;

namespace NeuralFit.Tests.Persistence;

/// <summary>
/// A model file is input like any other: whatever its input names and target hold, the C# generated from it compiles
/// to one class with exactly the expected members, and names the user gives are checked against C#'s rules.
/// </summary>
public class CSharpInjectionTests
{
    /// <summary>The text an attacker would try: comment and string terminators, line breaks of every kind, XML,
    /// preprocessor lines, a right-to-left override, a lone surrogate, keywords.</summary>
    static readonly string[] Hostile =
    [
        "\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "*/", "/*", "//", "\"", "\\", "'", "</summary>", "<summary>", "&", "#define X",
        "#error no", "}", "{", ";", "public static class Injected { }", "static int Extra = 1;", "\u202e", "\u200b", "\ud800", "\udc00",
        "class", "int", "@", "x", "__arglist", "global::", "System", "Predict", "InputCount", "W1", "\t", "\0", "\u001b[31m", "é", "日本",
    ];

    static readonly Gen<string> HostileText = Gen.OneOf(
        Gen.OneOf(Hostile.Select(h => Gen.Const(h)).ToArray()),
        Gen.String,
        Gen.OneOf(Hostile.Select(h => Gen.Const(h)).ToArray()).Array[1, 6].Select(parts => string.Concat(parts)));

    static readonly Gen<(string[] Inputs, string Target)> ModelTexts =
        Gen.Select(Gen.Int[1, 3], HostileText.Array[3], HostileText, (n, names, target) => (names.Take(n).ToArray(), target));

    /// <summary>
    /// Random input names and targets in: every generated file compiles (in batches, so Roslyn runs a few times, not
    /// hundreds) and holds one public type with the expected members, no more.
    /// </summary>
    [Fact]
    public void NoModelTextAddsCodeToTheGeneratedClass()
    {
        // The issue's reproduction first: a class in the input names, lines in the target.
        var cases = new List<(SavedModel Model, string Class, string Namespace)>
        {
            (WithTexts(["x</summary>\npublic static class Injected { public static int Pwned = 1; }\n/// <summary>"], "x\npublic static int Extra = 2;\n//"), "Generated", "Fuzz.Issue"),
        };
        int index = 0;
        ModelTexts.Sample((inputs, target) =>
        {
            lock (cases) cases.Add((WithTexts(inputs, target), $"Generated{index}", $"Fuzz.N{index++}"));
        }, iter: 120, threads: 1);
        var sources = cases.Select(c => CSharpExport.Generate(c.Model, c.Class, c.Namespace)).ToList();
        var assembly = CSharpCompiler.Load(CSharpCompiler.Compile($"Injection_{Guid.NewGuid():N}", OutputKind.DynamicallyLinkedLibrary, sources));

        var publicTypes = assembly.GetTypes().Where(t => !t.FullName!.StartsWith('<')).Select(t => t.FullName).Order().ToArray();
        Assert.Equal(cases.Select(c => $"{c.Namespace}.{c.Class}").Order().ToArray(), publicTypes);
        foreach (var c in cases)
        {
            var type = assembly.GetType($"{c.Namespace}.{c.Class}")!;
            var members = type.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Select(m => m.Name).Distinct().Order().ToArray();
            int layers = c.Model.Model.Shape.LayerCount;
            string[] expected = [".cctor", "Activation", "Dense", "InputCount", "InputScale", "InputShift", "Predict", "TargetScale", "TargetShift",
                .. Enumerable.Range(1, layers).SelectMany(l => new[] { $"W{l}", $"B{l}" })];
            Assert.Equal(expected.Order().ToArray(), members);
            Assert.Empty(type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic));
            Assert.Equal(c.Model.Model.Shape.Inputs, type.GetField("InputCount")!.GetValue(null));
        }
    }

    /// <summary>The shared tiny model with other input names and target (the weights do not matter here).</summary>
    static SavedModel WithTexts(string[] inputs, string target)
    {
        var model = inputs.Length switch
        {
            1 => TestModels.Trained(Activation.Tanh),
            2 => TestModels.Trained(Activation.Tanh, inputs: 2),
            _ => Three.Value,
        };
        return model with { InputNames = inputs, Target = target };
    }

    static readonly Lazy<SavedModel> Three = new(() =>
    {
        var shape = new NetworkShape(3, [2], 1, Activation.Relu);
        var parameters = Enumerable.Range(0, shape.ParameterCount).Select(i => 0.1 * i - 0.3).ToArray();
        return new SavedModel
        {
            Model = new FittedModel<double>(new Mlp<double>(shape, parameters), NeuralFit.Preprocessing.Normalization.None(3)),
            InputNames = ["a", "b", "c"],
        };
    });

    [Theory]
    [InlineData("class", "a C# keyword")]
    [InlineData("int", "a C# keyword")]
    [InlineData("__arglist", "a C# keyword")]
    [InlineData("record", "C# keeps it for itself")]
    [InlineData("Predict", "a member of that name")]
    [InlineData("W2", "a member of that name")]
    [InlineData("model", "CS8981")]
    [InlineData("My Model", "not a C# identifier")]
    [InlineData("1Model", "not a C# identifier")]
    [InlineData("Model\u202eevil", "not a C# identifier")]
    [InlineData("", "not a C# identifier")]
    [InlineData("A}class B{", "not a C# identifier")]
    public void BadClassNamesAreRefused(string name, string mention)
    {
        var e = Assert.Throws<InputError>(() => CSharpExport.Generate(TestModels.Trained(Activation.Tanh), name, "NeuralFitModels"));
        Assert.Contains(mention, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.DoesNotContain('\u202e', e.Message);
    }

    [Theory]
    [InlineData("a..b", "part 2 is empty")]
    [InlineData(".a", "part 1 is empty")]
    [InlineData("a.", "part 2 is empty")]
    [InlineData("a.class", "'class' is a C# keyword")]
    [InlineData("global.Models", "'global' cannot start a namespace")]
    [InlineData("a b", "not a C# identifier")]
    [InlineData("a;b", "not a C# identifier")]
    public void BadNamespacesAreRefused(string ns, string mention) =>
        Assert.Contains(mention, Assert.Throws<InputError>(() => CSharpExport.Generate(TestModels.Trained(Activation.Tanh), "Generated", ns)).Message);

    /// <summary>Names that are legal but collide with what the code refers to: every reference goes through global::.</summary>
    [Theory]
    [InlineData("System", "System")]
    [InlineData("Math", "My.System.Math")]
    [InlineData("Span", "global_.Span")]
    public void ClassAndNamespaceNamesCannotCaptureTheCodesReferences(string className, string ns)
    {
        var code = CSharpExport.Generate(TestModels.Trained(Activation.Gelu, Precision.Float64), className, ns);
        CSharpCompiler.Compile($"Names_{Guid.NewGuid():N}", OutputKind.DynamicallyLinkedLibrary, [code]);
    }

    [Theory]
    [InlineData("Predict.cs", "PredictModel")]
    [InlineData("class.cs", "Class")]
    [InlineData("record.cs", "Record")]
    [InlineData("W1.cs", "W1Model")]
    [InlineData("日本.cs", "Model")]
    public void ClassNamesFromFileNamesAreAlwaysUsable(string file, string expected)
    {
        Assert.Equal(expected, CSharpExport.ClassNameFor(file));
        CSharpNames.CheckClassName(expected);
    }
}
