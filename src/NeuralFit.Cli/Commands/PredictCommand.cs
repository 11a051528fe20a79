using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using NeuralFit.Cli.Prediction;
using NeuralFit.Persistence;
using NeuralFit.Results;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit predict`: a saved model (JSON or ONNX) at given points, in the user's units.</summary>
static class PredictCommand
{
    public static Command Create()
    {
        var command = new Command("predict", "Predict with a saved model (model.json, or an exported model.onnx run through ONNX Runtime). Prints one line per point: the inputs, then the prediction. Points outside the ranges the model was trained on are counted in one warning on stderr.");
        var model = new Option<string>("--model") { Description = "the model: a NeuralFit model file (.json) or an ONNX file (.onnx)", HelpName = "file", Required = true };
        var x = new Option<string[]>("--x") { Description = "a point to predict at; repeat for more points; several inputs as --x 0.1,0.2", HelpName = "value" };
        var data = new Option<string>("--data") { Description = "CSV file of points: a header row naming the model's inputs (other columns are ignored)", HelpName = "points.csv" };
        var json = new Option<string>("--json") { Description = "also write the predictions as JSON: {\"predictions\":[{\"x\":[…],\"y\":…}]}", HelpName = "file" };
        command.Options.Add(model);
        command.Options.Add(x);
        command.Options.Add(data);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var points = parse.GetValue(x) ?? [];
            var dataPath = parse.GetValue(data);
            if (points.Length == 0 && dataPath is null) throw new InputError("give the points to predict at: --x 0.5 (repeatable) or --data points.csv");
            if (points.Length > 0 && dataPath is not null) throw new InputError("give --x or --data, not both");
            var jsonPath = parse.GetValue(json);
            var roles = new FileRoles();
            roles.Input("--model", parse.GetValue(model)!);
            if (dataPath is not null) roles.Input("--data", dataPath);
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);

            // nothing here can stop half-way and resume: a signal ends the command at once, with one line
            using var interruption = new Interruption("the prediction");
            interruption.Finishing();
            using var predictor = Predictors.Open(parse.GetValue(model)!);
            var names = predictor.InputNames;
            var inputs = dataPath is null ? PredictionInputs.FromFlags(points, names) : PredictionInputs.FromCsv(dataPath, names);
            var y = predictor.Predict(inputs);
            var ranges = predictor.TrainingRanges;
            var outside = Extrapolation.Check(ranges, inputs);
            if (outside.Warning(names, ranges, inputs) is string warning) Console.Error.WriteLine($"neuralfit: warning: {Terminal.Lines.OneLine(warning)}"); // it names the model's inputs: the file's text

            int d = names.Count;
            var outputNames = predictor.OutputNames;
            int outputs = outputNames.Count;
            var output = new System.Text.StringBuilder();
            // several outputs: a header line names the columns (inputs, then outputs), as a CSV header would
            if (outputs > 1) output.AppendLine(string.Join('\t', names.Concat(outputNames).Select(Terminal.Lines.OneLine)));
            for (int i = 0; i < y.Length / outputs; i++)
            {
                for (int k = 0; k < d; k++) output.Append(Format(inputs[i * d + k])).Append('\t');
                output.AppendLine(string.Join('\t', y.Skip(i * outputs).Take(outputs).Select(Format)));
            }
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(Json(inputs, y, d, outputNames, outside.Outside)));
            staged.Commit(interruption); // first: a failing stdout must not stop it
            Console.Out.Write(output);
            return ExitCodes.Success;
        });
        return command;
    }

    static string Format(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    /// <summary>DESIGN.md's shape: {"predictions":[{"x":[0.5],"y":-0.69}]}; a non-finite prediction is null; a point
    /// outside the training ranges carries "outsideTrainingRange": true. With several outputs "y" is an array, one value
    /// per output, and "outputs" names them.</summary>
    static JsonObject Json(double[] x, double[] y, int d, IReadOnlyList<string> outputNames, bool[] outside)
    {
        int k = outputNames.Count;
        var o = new JsonObject();
        if (k > 1) o["outputs"] = new JsonArray(outputNames.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());
        o["predictions"] = new JsonArray(Enumerable.Range(0, y.Length / k).Select(i =>
        {
            var point = new JsonObject
            {
                ["x"] = new JsonArray(x.Skip(i * d).Take(d).Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
                ["y"] = k == 1 ? ResultJson.Number(y[i]) : new JsonArray(y.Skip(i * k).Take(k).Select(v => ResultJson.Number(v)).ToArray()),
            };
            if (outside[i]) point["outsideTrainingRange"] = true;
            return (JsonNode)point;
        }).ToArray());
        return o;
    }
}
