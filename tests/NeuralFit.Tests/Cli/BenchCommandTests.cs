using System.Text.Json;

namespace NeuralFit.Tests.Cli;

/// <summary>`neuralfit bench --json`: the keys DESIGN.md promises (speed itself is not tested).</summary>
public class BenchCommandTests
{
    [Fact]
    public void WritesTheJsonContract()
    {
        var file = Path.Combine(Path.GetTempPath(), $"neuralfit-bench-{Guid.NewGuid():N}.json");
        try
        {
            var o = CliRunner.Run("bench", "--case", "question-net-b50", "--runs", "1", "--seconds", "0.05", "--json", file);
            Assert.True(o.ExitCode == 0, o.All);
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var root = doc.RootElement;
            Assert.True(root.GetProperty("peakGflops").GetProperty("float32").GetDouble() > 0);
            Assert.True(root.GetProperty("peakGflops").GetProperty("float64").GetDouble() > 0);
            var c = Assert.Single(root.GetProperty("cases").EnumerateArray());
            Assert.Equal("question-net-b50", c.GetProperty("name").GetString());
            Assert.Equal("relu", c.GetProperty("activation").GetString());
            foreach (var key in new[] { "stepsPerSecond", "gflops", "peakFraction" })
                Assert.True(c.GetProperty(key).GetDouble() > 0, key);
            Assert.True(root.GetProperty("startupMilliseconds").GetDouble() > 0);
            // the child's own count: a first step always JIT-compiles something (at least the target's expression)
            Assert.True(root.GetProperty("startupJitCompiledMethods").GetInt64() > 0);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void VerbosePrintsEachCasesKernelPlan()
    {
        var o = CliRunner.Run("bench", "--case", "question-net-b500-products", "--runs", "1", "--seconds", "0.05", "--verbose");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("kernel plan: 1-50-10-1 relu, float32, batch 500, a training step", o.Stdout);
        Assert.Contains("segments   no: turned off", o.Stdout); // the -products cases run every layer as a product
    }

    [Theory]
    [InlineData("--seconds", "0", "--seconds")]
    [InlineData("--runs", "0", "--runs")]
    [InlineData("--case", "nope", "no case starts with nope")]
    public void BadFlagsAreCleanErrors(string flag, string value, string mention) =>
        CliRunner.AssertCleanError(CliRunner.Run("bench", flag, value), mention);
}
