using System.Globalization;
using System.Text.Json.Nodes;

namespace NeuralFit.Tests.Cli;

/// <summary>`--y a --y b` as a user types it: the fit reports r2 per output, predict gives one value per output from
/// the model file and from its ONNX export (the same, to float32), and diagnose refuses with exit code 2.</summary>
public class SeveralOutputsCliTests
{
    [Fact]
    public void TwoTargetColumnsFitPredictAndExport()
    {
        string dir = Directory.CreateTempSubdirectory("nf-cli-two-").FullName;
        try
        {
            var lines = new List<string> { "u,v,a,b" };
            for (int i = 0; i < 200; i++)
            {
                double u = -1 + 2 * (i % 20) / 19.0, v = -1 + 2 * (i / 20) / 9.0;
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"{u},{v},{Math.Sin(2 * u) + v * v},{u * v + 0.5 * u}"));
            }
            File.WriteAllLines(Path.Combine(dir, "two.csv"), lines);
            var fit = CliRunner.RunIn(dir, "fit", "--data", "two.csv", "--y", "a", "--y", "b", "--layers", "10", "--optimizer", "lm", "--steps", "80",
                "--out", "m.json", "--json", "r.json");
            Assert.True(fit.ExitCode == 0, fit.All);
            Assert.Contains("per output", fit.Stdout);
            var evaluation = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "r.json")))!["evaluation"]!;
            var outputs = evaluation["outputs"]!.AsArray();
            Assert.Equal(["a", "b"], outputs.Select(o => o!["name"]!.GetValue<string>()));
            foreach (var o in outputs) Assert.True(o!["r2"]!.GetValue<double>() > 0.99, fit.Stdout);

            var export = CliRunner.RunIn(dir, "export", "--model", "m.json", "--onnx", "m.onnx");
            Assert.True(export.ExitCode == 0, export.All);
            Assert.Contains("(N, 2)", export.Stdout);
            var a = CliRunner.RunIn(dir, "predict", "--model", "m.json", "--x", "0.3,-0.2", "--x", "-0.7,0.5", "--json", "a.json");
            var b = CliRunner.RunIn(dir, "predict", "--model", "m.onnx", "--x", "0.3,-0.2", "--x", "-0.7,0.5", "--json", "b.json");
            Assert.True(a.ExitCode == 0 && b.ExitCode == 0, a.All + b.All);
            Assert.StartsWith("u\tv\ta\tb", a.Stdout);
            double[] Values(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, file)))!["predictions"]!.AsArray()
                .SelectMany(p => p!["y"]!.AsArray().Select(y => y!.GetValue<double>())).ToArray();
            var (fromModel, fromOnnx) = (Values("a.json"), Values("b.json"));
            Assert.Equal(4, fromModel.Length);
            for (int i = 0; i < 4; i++) Assert.True(Math.Abs(fromModel[i] - fromOnnx[i]) <= 1e-5 * Math.Max(1, Math.Abs(fromModel[i])), $"{fromModel[i]} vs {fromOnnx[i]}");
            Assert.Equal(["a", "b"], JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "b.json")))!["outputs"]!.AsArray().Select(n => n!.GetValue<string>()));

            var diagnose = CliRunner.RunIn(dir, "diagnose", "--data", "two.csv", "--y", "a", "--y", "b");
            Assert.Equal(2, diagnose.ExitCode);
            Assert.Contains("works on one output", diagnose.Stderr);
            Assert.DoesNotContain("   at ", diagnose.All);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void ARunOfTwoTargetsResumesToTheNumbersOfAnUninterruptedOne()
    {
        string dir = Directory.CreateTempSubdirectory("nf-cli-two-resume-").FullName;
        try
        {
            string[] run = ["fit", "--target", "sin(3*x)", "--target", "x^2", "--domain", "-1:1", "--layers", "6", "--optimizer", "adam", "--seed", "2"];
            var whole = CliRunner.RunIn(dir, [.. run, "--steps", "200", "--json", "whole.json"]);
            var half = CliRunner.RunIn(dir, [.. run, "--steps", "100", "--checkpoint", "ck"]);
            var resumed = CliRunner.RunIn(dir, "fit", "--resume", "ck", "--steps", "200", "--json", "resumed.json");
            Assert.True(whole.ExitCode is 0 or 1 && half.ExitCode is 0 or 1 && resumed.ExitCode is 0 or 1, whole.All + half.All + resumed.All);
            string Outputs(string file) => JsonNode.Parse(File.ReadAllText(Path.Combine(dir, file)))!["evaluation"]!["outputs"]!.ToJsonString();
            Assert.Equal(Outputs("whole.json"), Outputs("resumed.json"));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
