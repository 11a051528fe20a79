using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using NeuralFit.Configuration;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Targets;
using NeuralFit.Targets.Expressions;
using NeuralFit.Tests.Checkpoints;
using NeuralFit.Tests.Cli;

namespace NeuralFit.Tests.Security;

/// <summary>The guarantees of the README's Security section, each checked.</summary>
public class SecurityTests
{
    static readonly string[] Documented =
        ["ln", "log", "log2", "log10", "exp", "sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "sign", "floor", "ceil", "min", "max", "pow"];

    [Fact]
    public void ExpressionsCanCallOnlyTheListedFunctionsAndEachIsAStaticMathMethod()
    {
        Assert.Equal(Documented.Order(), Functions.Names.Order());
        foreach (string name in Functions.Names)
        {
            Assert.True(Functions.TryGet(name, out var f));
            Assert.True(f.Method.IsStatic, name);
            Assert.Contains(f.Method.DeclaringType, new[] { typeof(Math), typeof(Functions) });
            Assert.All(f.Method.GetParameters(), p => Assert.Equal(typeof(double), p.ParameterType));
        }
    }

    public static TheoryData<string> OtherMethodNames()
    {
        var data = new TheoryData<string>();
        var types = new[] { typeof(Math), typeof(File), typeof(Environment), typeof(System.Diagnostics.Process), typeof(Type), typeof(Activator), typeof(AppDomain), typeof(GC) };
        foreach (string name in types.SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static)).Select(m => m.Name).Distinct().Order())
            if (!Documented.Contains(name)) data.Add(name);
        return data;
    }

    [Theory, MemberData(nameof(OtherMethodNames))]
    public void NoOtherMethodCanBeCalledByName(string name)
    {
        foreach (string text in new[] { $"{name}(x)", $"{name.ToLowerInvariant()}(x)", $"{name}(x, x)" })
        {
            if (Documented.Contains(name.ToLowerInvariant()) && text.StartsWith(name.ToLowerInvariant())) continue; // e.g. Math.Sin, written sin
            var error = Assert.Throws<InputError>(() => TargetExpression.Parse(text));
            Assert.StartsWith("unknown function", error.Message);
        }
    }

    [Theory]
    [InlineData("System.IO.File.Delete(x)", "unexpected '.' at column 7")]
    [InlineData("Math.Exp(x)", "unexpected '.' at column 5")]
    [InlineData("x; Delete(\"/\")", "unexpected character ';' at column 2")]
    [InlineData("typeof(x)", "unknown function 'typeof'")]
    [InlineData("$\"{x}\"", "unexpected character '$' at column 1")]
    public void CodeIsNotAnExpression(string text, string message) =>
        Assert.StartsWith(message, Assert.Throws<InputError>(() => TargetExpression.Parse(text)).Message);

    /// <summary>
    /// No reflection driven by input anywhere in the product: no method, type or assembly looked up by name, nothing
    /// started, nothing deserialised into types the input names (the word dynamic as text, a keyword the C# exporter knows, is no use of it). (The expression compiler takes methods from the
    /// fixed delegates of its function table, which the test above pins.) The one process start is `neuralfit bench`
    /// timing its own start-up: it restarts its own executable with fixed arguments, no input reaches that command line.
    /// </summary>
    [Fact]
    public void TheSourceHasNoReflectionByNameNoProcessStartsAndNoTypeNamingDeserialisation()
    {
        string root = RepositoryRoot();
        var forbidden = new Regex(@"\.GetMethods?\(|Type\.GetType\(|Activator\.|Assembly\.Load|InvokeMember|\.DynamicInvoke\(|Process\.Start|BinaryFormatter|TypeNameHandling|JsonDerivedType|(?<!"")\bdynamic\b(?!"")|Marshal\.GetDelegateForFunctionPointer");
        var allowed = new Dictionary<string, string>
        {
            [Path.Combine("src", "NeuralFit", "Benchmarking", "StartupProbe.cs")] = "using var p = Process.Start(start);",
        };
        var hits = new List<string>();
        foreach (string file in Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
                if (forbidden.IsMatch(lines[i]) && !lines[i].TrimStart().StartsWith("//") && !lines[i].TrimStart().StartsWith("///")
                    && allowed.GetValueOrDefault(Path.GetRelativePath(root, file)) != lines[i].Trim())
                    hits.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: {lines[i].Trim()}");
        }
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    [Fact]
    public void AConfigCannotIncludeOtherFiles()
    {
        foreach (string key in new[] { "$include", "include", "import", "extends", "$ref" })
        {
            var error = Assert.Throws<InputError>(() => ConfigReader.FromJson($$"""{ "{{key}}": "/etc/passwd" }""", "run.json", new FitOptions()));
            Assert.StartsWith($"run.json: unknown key '{key}'", error.Message);
        }
    }

    [Fact]
    public void ReadingACheckpointTouchesNoFileItNames()
    {
        // The reader takes bytes: it cannot open the data file or folders the saved configuration names.
        string folder = CheckpointRuns.NewFolder();
        CheckpointRuns.RunUntil(CheckpointRuns.Small() with { Checkpoint = "/no/such/folder" }, folder, stopAt: 20);
        var state = CheckpointJson.Read(File.ReadAllBytes(CheckpointFolder.CheckpointPath(folder)), "checkpoint.json");
        Assert.Equal("/no/such/folder", state.Config.Checkpoint);
    }

    [Fact]
    public void AFileDeclaringAHugeNetworkIsRefusedBeforeAnythingIsAllocatedForIt()
    {
        string json = """
            { "format": "neuralfit-model", "formatVersion": 1, "inputs": ["x"],
              "network": { "widths": [1, 1000000, 1000, 1], "activation": "relu", "outputActivation": "linear",
                           "precision": "float32", "parameterCount": 1002002001, "layers": [] },
              "normalization": { "inputs": [ { "shift": 0, "scale": 1 } ], "target": { "shift": 0, "scale": 1 } } }
            """;
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<InputError>(() => BestModelFile.Parse(System.Text.Encoding.UTF8.GetBytes(json), "best-model.json"));
        Assert.Contains("1,002,002,001 parameters, more than the 20,000,000 a model file may hold", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "the loader allocated for the declared size");
    }

    /// <summary>System.CommandLine reads "@file" arguments as files of more arguments unless told not to, which would
    /// put a file's words into an error message.</summary>
    [Fact]
    public void AnArgumentStartingWithAtIsNeverReadAsAFile()
    {
        string dir = Directory.CreateTempSubdirectory("nf-at-").FullName;
        File.WriteAllText(Path.Combine(dir, "secret.txt"), "TOPSECRET --steps 3\n");
        foreach (var args in new[] { new[] { "fit", "--target", "@secret.txt", "--domain", "0:1" }, ["fit", "@secret.txt"], ["@secret.txt"], ["predict", "--model", "@secret.txt", "--x", "1"] })
        {
            var o = CliRunner.RunIn(dir, args);
            Assert.Equal(2, o.ExitCode);
            Assert.DoesNotContain("TOPSECRET", o.All);
        }
    }

    /// <summary>A stream has no size to check first: it is read up to the same limit as a file, and refused beyond it.</summary>
    [Theory]
    [InlineData("fit --config /dev/stdin", "config file '/dev/stdin' holds more than 1,048,576 bytes")]
    [InlineData("predict --model /dev/stdin --x 1", "model file '/dev/stdin' holds more than 268,435,456 bytes")]
    [InlineData("sweep --config /dev/stdin", "sweep file '/dev/stdin' holds more than 1,048,576 bytes")]
    public void AnEndlessStreamIsReadOnlyUpToTheLimit(string command, string message)
    {
        if (!OperatingSystem.IsLinux()) return; // /dev/stdin
        var spaces = new byte[1 << 16];
        Array.Fill(spaces, (byte)' ');
        var o = CliRunner.RunWithInput(null, input => { while (true) input.Write(spaces); }, command.Split(' '));
        CliRunner.AssertCleanError(o, message);
    }

    [Fact]
    public void AnEndlessStreamOfBlankLinesIsRefusedAsData()
    {
        if (!OperatingSystem.IsLinux()) return;
        var newlines = new byte[1 << 16];
        Array.Fill(newlines, (byte)'\n');
        var o = CliRunner.RunWithInput(null, input => { while (true) input.Write(newlines); }, "fit", "--data", "/dev/stdin");
        CliRunner.AssertCleanError(o, "more than 50,000,000 lines");
    }

    [Fact]
    public void AFiniteStreamIsReadLikeAFile()
    {
        if (!OperatingSystem.IsLinux()) return;
        var o = CliRunner.RunWithInput(null, input => input.Write("{ \"target\": \"x\", \"steps\": 3 }"u8), "fit", "--config", "/dev/stdin", "--quiet");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("stopped: completed", o.Stdout);
    }

    static string RepositoryRoot([CallerFilePath] string here = "")
    {
        for (var dir = Path.GetDirectoryName(here); dir is not null; dir = Path.GetDirectoryName(dir))
            if (File.Exists(Path.Combine(dir, "NeuralFit.slnx"))) return dir;
        throw new DirectoryNotFoundException("the repository root (NeuralFit.slnx) was not found above " + here);
    }
}
