using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;
using NeuralFit.Tests.Persistence;

namespace NeuralFit.Tests.Packaging;

/// <summary>The README's C# example, taken from README.md as it stands, compiled against the library and run.</summary>
public class ReadmeExampleTests
{
    [Fact]
    public void TheLibraryExampleCompilesRunsAndWritesItsFiles()
    {
        var readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        var blocks = Regex.Matches(readme, "```csharp\\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(blocks);

        var work = Directory.CreateTempSubdirectory("nf-readme-").FullName;
        try
        {
            string output = "";
            foreach (var (code, i) in blocks.Select((b, i) => (b, i)))
            {
                // a program of its own, run as a user's would be, in a folder where it may write its files
                var image = CSharpCompiler.Compile($"ReadmeExample{i}", OutputKind.ConsoleApplication, [code, "global using System;"], typeof(NeuralFit.Fitting.FitRunner).Assembly);
                File.WriteAllBytes(Path.Combine(work, $"example{i}.dll"), image);
                File.WriteAllText(Path.Combine(work, $"example{i}.runtimeconfig.json"),
                    """{ "runtimeOptions": { "tfm": "net10.0", "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""");
                foreach (var dependency in new[] { "NeuralFit.dll", "System.Numerics.Tensors.dll" })
                    File.Copy(Path.Combine(AppContext.BaseDirectory, dependency), Path.Combine(work, dependency), overwrite: true);
                var run = Repository.Run(Repository.Dotnet, work, TimeSpan.FromMinutes(2), $"example{i}.dll");
                Assert.True(run.ExitCode == 0, $"README example {i + 1} failed:\n{run.Output}");
                Assert.Contains("test MSE", run.Output);
                output += run.Output;
            }

            // the fit is good enough to mean what the comment says: ≈ ln(0.5) = −0.6931
            var printed = Regex.Match(output, "ln\\(0\\.5\\) ≈ (-?[0-9.]+), (-?[0-9.]+) after loading");
            Assert.True(printed.Success, output);
            Assert.Equal(printed.Groups[1].Value, printed.Groups[2].Value);
            Assert.InRange(double.Parse(printed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), -0.72, -0.67);
            Assert.True(File.Exists(Path.Combine(work, "ln.model.json")), "the example did not save its model");
            // the file is the command's: `neuralfit predict` reads it
            var predict = Cli.CliRunner.RunIn(work, "predict", "--model", "ln.model.json", "--x", "0.5");
            Assert.True(predict.ExitCode == 0, predict.All);
            Assert.Contains(printed.Groups[2].Value[..5], predict.Stdout);
            // the options set with `with` were used as written: the question's network fails, and the diagnosis says why
            Assert.Contains("the question's network: not fitted", output);
            Assert.Matches("Error (bad-init|collapsed-output)", output);
            // the doctor repairs that network on the same arrays and proves it
            Assert.Matches("round 1: test MSE [0-9.eE+-]+ -> [0-9.eE+-]+, kept: ", output);
            Assert.Contains("the doctor: fitted", output);
            var repaired = Regex.Match(output, "repaired: test MSE (\\S+), as the doctor measured ([^;]+);");
            Assert.True(repaired.Success && repaired.Groups[1].Value == repaired.Groups[2].Value, output);
            Assert.Matches("grid MSE [0-9.eE+-]+ on [0-9]+ points", output);
            Assert.Contains("public static class LnModel", File.ReadAllText(Path.Combine(work, "LnModel.cs")));
            using var session = new InferenceSession(Path.Combine(work, "ln.onnx"));
            Assert.Single(session.InputMetadata);
        }
        finally { Directory.Delete(work, recursive: true); }
    }
}
