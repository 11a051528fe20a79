using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;

namespace NeuralFit.Tests.Persistence;

public class ModelFileTests
{
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.Float64)]
    public void ALoadedModelPredictsBitForBitWhatTheSavedOneDid(Precision precision)
    {
        var saved = TestModels.Trained(Activation.Gelu, precision);
        var loaded = ModelFileReader.Parse(System.Text.Encoding.UTF8.GetBytes(ModelFile.ToJson(saved)), "m.json");
        var x = TestModels.Points(saved, 500);
        Assert.Equal(saved.Model.Predict(x.AsSpan()), loaded.Model.Predict(x.AsSpan()));
        Assert.Equal(saved.Precision, loaded.Precision);
        Assert.Equal(saved.InputNames, loaded.InputNames);
        Assert.Equal(saved.Target, loaded.Target);
        Assert.Equal(saved.Domain, loaded.Domain);
        Assert.Equal(saved.Training!.Steps, loaded.Training!.Steps);
        Assert.Equal(saved.Training.Mse, loaded.Training.Mse);
        Assert.Equal(saved.Model.Normalization.Target, loaded.Model.Normalization.Target);
    }

    [Fact]
    public void TheFileIsSelfDescribing()
    {
        var o = JsonNode.Parse(ModelFile.ToJson(TestModels.Trained(Activation.Relu, inputs: 2)))!;
        Assert.Equal("neuralfit-model", (string?)o["format"]);
        Assert.Equal(1, (int?)o["formatVersion"]);
        Assert.Equal("[2,12,8,1]", o["network"]!["widths"]!.ToJsonString());
        Assert.Equal("relu", (string?)o["network"]!["activation"]);
        Assert.Equal(12, o["network"]!["layers"]![0]!["weights"]!.AsArray().Count); // one row per unit
        Assert.Equal(2, o["network"]!["layers"]![0]!["weights"]![0]!.AsArray().Count); // of fanIn weights
        Assert.Equal("[\"x1\",\"x2\"]", o["inputs"]!.ToJsonString());
        Assert.Equal(2, o["normalization"]!["inputs"]!.AsArray().Count);
        Assert.NotNull(o["training"]!["evaluation"]!["mse"]);
        Assert.Equal("relu", (string?)o["training"]!["config"]!["activation"]);
    }

    /// <summary>Each corruption of a good file, and the words its one-line error must contain.</summary>
    public static IEnumerable<object[]> Corruptions =>
    [
        [(Action<JsonObject>)(o => o["format"] = "something-else"), "not a NeuralFit model file"],
        [(Action<JsonObject>)(o => o["formatVersion"] = 2), "newer NeuralFit"],
        [(Action<JsonObject>)(o => o["formatVersion"] = "one"), "formatVersion"],
        [(Action<JsonObject>)(o => o.Remove("network")), "network: is missing"],
        [(Action<JsonObject>)(o => o["network"]!["widths"] = JsonNode.Parse("[1, 0, 1]")), "network.widths[1]"],
        [(Action<JsonObject>)(o => o["network"]!["widths"] = JsonNode.Parse("[1, 1000000, 1000000, 1]")), "parameters, more than"],
        // two outputs need a map per output (and as many weights): a file that declares them without is refused
        [(Action<JsonObject>)(o => o["network"]!["widths"] = JsonNode.Parse("[1, 12, 8, 2]")), "network"],
        [(Action<JsonObject>)(o => o["network"]!["activation"] = "rellu"), "did you mean 'relu'"],
        [(Action<JsonObject>)(o => o["network"]!["precision"] = "float16"), "network.precision"],
        [(Action<JsonObject>)(o => o["network"]!["parameterCount"] = 5), "network.parameterCount"],
        [(Action<JsonObject>)(o => o["network"]!["parameterCount"] = JsonNode.Parse("[225]")), "network.parameterCount"], // found by fuzzing
        [(Action<JsonObject>)(o => o["network"]!["outputActivation"] = 3), "network.outputActivation"],
        [(Action<JsonObject>)(o => o["training"]!["savedAt"] = 20250131), "training.savedAt"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]!.AsArray().RemoveAt(2)), "has 2 layers"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]![1]!["weights"]!.AsArray().RemoveAt(0)), "network.layers[1].weights: has 7 rows"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]![1]!["weights"]![3]!.AsArray().Add(1.0)), "network.layers[1].weights[3]: has 13 numbers"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]![0]!["biases"]![4] = "NaN"), "network.layers[0].biases[4]: must be a finite"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]![0]!["biases"]![4] = 1e300), "finite float32"],
        [(Action<JsonObject>)(o => o["network"]!["layers"]![2]!["activation"] = "relu"), "output layer is linear"],
        [(Action<JsonObject>)(o => o["normalization"]!["target"]!["scale"] = 0), "normalization.target.scale: must not be 0"],
        [(Action<JsonObject>)(o => o["normalization"]!["inputs"]!.AsArray().Add(new JsonObject { ["shift"] = 0, ["scale"] = 1 })), "one per input"],
        [(Action<JsonObject>)(o => o["inputs"] = JsonNode.Parse("[\"x\", \"y\"]")), "names 2 inputs"],
        [(Action<JsonObject>)(o => o["domain"] = JsonNode.Parse("[\"1:0\"]")), "empty"],
        [(Action<JsonObject>)(o => o["training"]!["steps"] = -3), "training.steps"],
    ];

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void EveryCorruptionIsAOneLineErrorNamingWhere(Action<JsonObject> corrupt, string mention)
    {
        var o = JsonNode.Parse(ModelFile.ToJson(TestModels.Trained(Activation.Relu)))!.AsObject();
        corrupt(o);
        var e = Assert.Throws<InputError>(() => ModelFileReader.Parse(System.Text.Encoding.UTF8.GetBytes(o.ToJsonString()), "m.json"));
        Assert.Contains(mention, e.Message);
        Assert.StartsWith("m.json: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("{ \"format\": ", "not valid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("", "is empty")]
    public void BrokenJsonIsAOneLineError(string text, string mention)
    {
        var e = Assert.Throws<InputError>(() => ModelFileReader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "m.json"));
        Assert.Contains(mention, e.Message);
    }

    [Fact]
    public void AnOnnxFileGivenAsAModelFileIsNamedAsSuch()
    {
        var onnx = NeuralFit.Persistence.Onnx.OnnxExport.ToBytes(TestModels.Trained(Activation.Tanh));
        var e = Assert.Throws<InputError>(() => ModelFileReader.Parse(onnx, "m.onnx"));
        Assert.Contains("ONNX file", e.Message);
    }

    /// <summary>A model file holds finite numbers only: a model that is not finite is refused, never written half.</summary>
    [Fact]
    public void AModelThatIsNotFiniteIsNotSaved()
    {
        var model = TestModels.Trained(Activation.Tanh, NeuralFit.Configuration.Precision.Float64);
        var parameters = model.Model.ParametersAsDouble();
        parameters[3] = double.PositiveInfinity;
        var broken = model with { Model = new FittedModel<double>(new Mlp<double>(model.Model.Shape, parameters), model.Model.Normalization) };
        string path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<InputError>(() => ModelFile.Save(broken, path));
        Assert.Contains("parameter [3] is not finite", e.Message);
        Assert.False(File.Exists(path));
        Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}.*"));
    }

    /// <summary>A byte-order mark, as an editor on Windows adds on saving, is no part of the JSON.</summary>
    [Fact]
    public void AModelFileWithAByteOrderMarkLoads()
    {
        var model = TestModels.Trained(Activation.Tanh);
        var bytes = System.Text.Encoding.UTF8.GetPreamble().Concat(System.Text.Encoding.UTF8.GetBytes(ModelFile.ToJson(model))).ToArray();
        Assert.Equal(model.Model.ParametersAsDouble(), ModelFileReader.Parse(bytes, "m.json").Model.ParametersAsDouble());
    }
}
