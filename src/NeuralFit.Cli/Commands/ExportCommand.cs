using System.CommandLine;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit export`: a saved model as an ONNX graph and/or a dependency-free C# function.</summary>
static class ExportCommand
{
    public static Command Create()
    {
        var command = new Command("export", "Export a saved model: as ONNX (opset 13, normaliser included) for ONNX Runtime or ML.NET, and/or as a dependency-free C# file.");
        var model = new Option<string>("--model") { Description = "the NeuralFit model file written by --out", HelpName = "model.json", Required = true };
        var onnx = new Option<string>("--onnx") { Description = "write the model as an ONNX file", HelpName = "model.onnx" };
        var csharp = new Option<string>("--csharp") { Description = "write the model as a C# static class with a Predict function", HelpName = "Model.cs" };
        var className = new Option<string>("--class-name") { Description = "name of the generated C# class (default: from the file name)", HelpName = "name" };
        var namespaceOption = new Option<string>("--namespace") { Description = "namespace of the generated C# class (default: NeuralFitModels)", HelpName = "name" };
        foreach (var o in new Option[] { model, onnx, csharp, className, namespaceOption }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var onnxPath = parse.GetValue(onnx);
            var csharpPath = parse.GetValue(csharp);
            if (onnxPath is null && csharpPath is null) throw new InputError("say what to export: --onnx model.onnx and/or --csharp Model.cs");
            var modelPath = parse.GetValue(model)!;
            if (Path.GetExtension(modelPath).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
                throw new InputError($"--model {modelPath}: export reads a NeuralFit model file (.json, written by --out), not an ONNX file");
            var roles = new FileRoles();
            roles.Input("--model", modelPath);
            if (onnxPath is not null) roles.Output("--onnx", onnxPath);
            if (csharpPath is not null) roles.Output("--csharp", csharpPath);
            roles.Check();
            foreach (var path in new[] { onnxPath, csharpPath })
                if (path is not null) AtomicFile.CheckWritable(path);
            var name = csharpPath is null ? null : parse.GetValue(className) ?? CSharpExport.ClassNameFor(csharpPath);
            if (name is not null)
            {
                // before anything is written: a bad name must not leave the ONNX file written and the C# one not
                CSharpNames.CheckClassName(name);
                CSharpNames.CheckNamespace(parse.GetValue(namespaceOption) ?? CSharpExport.DefaultNamespace);
            }

            using var interruption = new Interruption("the export"); // a signal ends it at once, with one line
            interruption.Finishing();
            var saved = ModelFile.Load(modelPath);
            using var staged = new Outputs(interruption); // both files, or neither
            if (onnxPath is not null)
                staged.File(onnxPath, stream => stream.Write(OnnxExport.ToBytes(saved)),
                    $"wrote {onnxPath}: ONNX opset {OnnxExport.Opset}, input '{OnnxExport.InputName}' (N, {saved.Model.Shape.Inputs}) float32, output '{OnnxExport.OutputName}' (N, {saved.Model.Shape.Outputs})");
            if (csharpPath is not null)
            {
                var ns = parse.GetValue(namespaceOption) ?? CSharpExport.DefaultNamespace;
                staged.Text(csharpPath, CSharpExport.Generate(saved, name!, ns),
                    // the parameters as generated, not the file's names, which may hold anything (line breaks, terminal escapes)
                    $"wrote {csharpPath}: class {ns}.{name}, {(saved.Model.Shape.Outputs > 1 ? "double[]" : "double")} Predict({string.Join(", ", CSharpNames.Parameters(saved.InputNames).Select(n => "double " + n))})");
            }
            foreach (var line in staged.Commit(interruption)) Console.WriteLine(line);
            return ExitCodes.Success;
        });
        return command;
    }
}
