using System.Buffers;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Fitting;
using NeuralFit.Question;
using NeuralFit.Tests.Checkpoints;

namespace NeuralFit.Tests.Fitting;

/// <summary>
/// The same configuration gives the same numbers, bit for bit, whatever ran before it in the process, wherever its
/// arrays land in memory and on however many cores its steps run. Each run is repeated after the memory is disturbed
/// as a long process disturbs it: ArrayPool.Shared holds garbage-filled arrays of the sizes the kernels rent, and
/// arrays of other sizes, large and small, move where the run's own arrays are placed (and so how they are aligned).
/// </summary>
public class DeterminismTests
{
    static RunConfig Flags(params (string Key, string Value)[] flags)
    {
        var c = new FitOptions();
        foreach (var (key, value) in flags) c = ConfigReader.Apply(c, key, new FlagValue(key, [value]), "test");
        return RunConfig.From(c);
    }

    /// <summary>One run of each path that computes differently: the solvers in float64 (lm with its blocked Cholesky and
    /// parallel Gram product, lbfgs), step optimizers on data-parallel chunks, the one-input segments of a ReLU layer,
    /// units saturated far past use (tanh and sigmoid pre-activations in the hundreds).</summary>
    public static TheoryData<string> Paths() => new(PathConfigs.Keys);

    static readonly Dictionary<string, RunConfig> PathConfigs = new()
    {
        // the ln(x) question's recommendation (lm, tanh, float64), which gave different last digits run after run
        ["lm"] = RunConfig.From(QuestionVariants.Recommended().Options! with { Steps = 30 }),
        ["lbfgs"] = Flags(("target", "ln(x)"), ("domain", "0:1"), ("optimizer", "lbfgs"), ("activation", "tanh"), ("precision", "float64"),
            ("layers", "40"), ("steps", "60")),
        // inputs left in their units: pre-activations up to about a thousand
        ["adam-chunks"] = Flags(("target", "sin(x/100)"), ("domain", "0:1000"), ("normalize", "none"), ("activation", "tanh"),
            ("precision", "float64"), ("layers", "16,8"), ("batchSize", "1536"), ("samples", "3000"), ("steps", "40")),
        ["sgd-sigmoid"] = Flags(("target", "x/1000"), ("domain", "0:1000"), ("normalize", "none"), ("activation", "sigmoid"),
            ("precision", "float64"), ("layers", "12"), ("batchSize", "200"), ("steps", "60")),
        ["relu-segments"] = Flags(("target", "abs(x)"), ("domain", "-1:1"), ("activation", "relu"), ("layers", "32,16"),
            ("batchSize", "2048"), ("samples", "4096"), ("steps", "40")),
    };

    [Theory, MemberData(nameof(Paths))]
    public void ARunGivesTheSameBitsAfterOtherRunsWithTheMemoryDisturbedAndOnMoreCores(string path)
    {
        var config = PathConfigs[path];
        var first = FitRunner.Run(config, Hooks(threads: 1));
        for (int disturbance = 1; disturbance <= 2; disturbance++)
        {
            using var disturbed = new DisturbedMemory(disturbance);
            CheckpointRuns.AssertSameRun(first, FitRunner.Run(config, Hooks(threads: 2)));
        }
    }

    [Fact]
    public void ADiagnosisGivesTheSameProbesAndFindingsAfterOtherRunsWithTheMemoryDisturbed()
    {
        var config = PathConfigs["adam-chunks"];
        var first = Diagnoser.Run(config);
        using var disturbed = new DisturbedMemory(3);
        var again = Diagnoser.Run(config);
        CheckpointRuns.AssertSameRun(first.Fit, again.Fit);
        Assert.Equal(first.Trace.Snapshots.Count, again.Trace.Snapshots.Count);
        for (int i = 0; i < first.Trace.Snapshots.Count; i++)
            Assert.Equal(System.Text.Json.JsonSerializer.Serialize(first.Trace.Snapshots[i], ProbeJson),
                System.Text.Json.JsonSerializer.Serialize(again.Trace.Snapshots[i], ProbeJson));
        Assert.Equal(first.Findings.Select(f => Results.DiagnosisJson.Finding(f).ToJsonString()), again.Findings.Select(f => Results.DiagnosisJson.Finding(f).ToJsonString()));
    }

    static readonly System.Text.Json.JsonSerializerOptions ProbeJson = new()
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    static FitHooks Hooks(int threads) => new() { Extensions = [new UseCores(threads)], Grow = false };

    /// <summary>
    /// Memory as a long process leaves it: ArrayPool.Shared's buckets for every size a kernel rents hold arrays full of
    /// garbage, and a large and a small array whose sizes depend on <paramref name="seed"/> are held while the run allocates,
    /// so the run's arrays land elsewhere (and at another alignment) than in the run before.
    /// </summary>
    sealed class DisturbedMemory : IDisposable
    {
        readonly byte[] _spacer, _smallSpacer;

        public DisturbedMemory(int seed)
        {
            var random = new Random(seed);
            Fill(ArrayPool<double>.Shared, () => random.NextDouble() * 2e3 - 1e3);
            Fill(ArrayPool<float>.Shared, () => (float)(random.NextDouble() * 2e3 - 1e3));
            Fill(ArrayPool<int>.Shared, () => random.Next());
            Fill(ArrayPool<long>.Shared, () => random.NextInt64());
            _spacer = new byte[100_000 + 8 * seed + random.Next(64) * 8];
            _smallSpacer = new byte[8 * seed + random.Next(8) * 8];
        }

        static void Fill<T>(ArrayPool<T> pool, Func<T> garbage)
        {
            var rented = new List<T[]>();
            for (int length = 16; length <= 1 << 17; length *= 2)
                for (int copy = 0; copy < 2; copy++)
                {
                    var array = pool.Rent(length);
                    for (int i = 0; i < array.Length; i++) array[i] = garbage();
                    rented.Add(array);
                }
            foreach (var array in rented) pool.Return(array);
        }

        public void Dispose()
        {
            GC.KeepAlive(_spacer);
            GC.KeepAlive(_smallSpacer);
        }
    }
}
