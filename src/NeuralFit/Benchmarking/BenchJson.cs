using System.Text.Json.Nodes;
using NeuralFit.Networks;

namespace NeuralFit.Benchmarking;

/// <summary>Everything `neuralfit bench` measured.</summary>
internal sealed record BenchResult(double PeakFloat32, double PeakFloat64, IReadOnlyList<CaseResult> Cases, StartupTimes? StartupMs);

/// <summary>
/// The JSON of `neuralfit bench --json` (DESIGN.md): peakGflops.float32/.float64 and cases[] with name,
/// stepsPerSecond, gflops, peakFraction, never renamed; the rest is added detail.
/// </summary>
internal static class BenchJson
{
    public static JsonObject Build(BenchResult r) => new()
    {
        ["peakGflops"] = new JsonObject { ["float32"] = r.PeakFloat32, ["float64"] = r.PeakFloat64 },
        ["cases"] = new JsonArray(r.Cases.Select(c => (JsonNode)new JsonObject
        {
            ["name"] = c.Case.Name,
            ["stepsPerSecond"] = c.StepsPerSecond,
            ["gflops"] = c.Gflops,
            ["peakFraction"] = c.PeakFraction,
            ["runs"] = new JsonArray(c.Runs.Select(v => (JsonNode)v).ToArray()),
            ["bestStepPerSecond"] = c.BestStepPerSecond,
            ["sizes"] = new JsonArray(c.Case.Sizes.Select(v => (JsonNode)v).ToArray()),
            ["batch"] = c.Case.Batch,
            ["precision"] = c.Case.Precision == Configuration.Precision.Float64 ? "float64" : "float32",
            ["threads"] = c.Case.Threads,
            ["productsOnly"] = c.Case.Products,
            ["activation"] = c.Case.Activation.Name(),
            ["flopsPerStep"] = c.Case.FlopsPerStep,
        }).ToArray()),
        ["startupMilliseconds"] = r.StartupMs is { } s ? s.Median : null,
        ["startupRunsMilliseconds"] = r.StartupMs is { } t ? new JsonArray(t.Runs.Select(v => (JsonNode)v).ToArray()) : null,
        ["startupJitCompiledMethods"] = r.StartupMs?.JitCompiledMethods,
        ["kernel"] = KernelVariants.Chosen.Variant.Name(),
        ["peakVectorBits"] = FmaPeak.MeasuredWidthBits,
        ["cores"] = Environment.ProcessorCount,
        ["cpu"] = MachineName.Describe(),
        ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
    };
}
