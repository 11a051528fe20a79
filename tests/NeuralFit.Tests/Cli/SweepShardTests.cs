using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using NeuralFit.Results;
using NeuralFit.Sweeps;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// A sweep run once whole and once as 3 shards in separate processes (as 3 machines of a cluster would), for the
/// tests that merge them.
/// </summary>
public sealed class ShardedSweep : IDisposable
{
    public const string Spec = """
        { "base": {"target": "ln(x)", "domain": "0.01:1", "layers": [8], "steps": 40},
          "grid": {"optimizer": ["adam", "sgd"], "learningRate": [1e-3, 1e-2], "seed": [1, 2]} }
        """;

    public string Dir { get; } = Directory.CreateTempSubdirectory("neuralfit-shards-").FullName;
    internal CliRunner.Outcome Whole { get; }
    internal CliRunner.Outcome[] Shards { get; }

    public ShardedSweep()
    {
        File.WriteAllText(Path.Combine(Dir, "sweep.json"), Spec);
        Directory.CreateDirectory(Path.Combine(Dir, "shards"));
        var shards = Enumerable.Range(1, 3).Select(i => CliProcess.Start(Dir, "sweep", "--config", "sweep.json", "--shard", $"{i}/3",
            "--json", $"shards/shard-{i}.json", "--csv", $"shards/shard-{i}.csv")).ToArray();
        Whole = CliRunner.RunIn(Dir, "sweep", "--config", "sweep.json", "--json", "whole.json", "--csv", "whole.csv");
        Shards = shards.Select(p => p.WaitForExit(CliProcess.Patience)).ToArray();
        foreach (var p in shards) p.Dispose();
    }

    public string Shard(int i) => Path.Combine(Dir, "shards", $"shard-{i}.json");

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>The tests that share one <see cref="ShardedSweep"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ShardedSweepCollection : ICollectionFixture<ShardedSweep>
{
    public const string Name = "sharded sweep";
}

/// <summary>`neuralfit sweep --shard i/N` and `neuralfit sweep merge`.</summary>
[Collection(ShardedSweepCollection.Name)]
public class SweepShardTests(ShardedSweep sweep)
{
    [Fact]
    public void ThreeShardsInSeparateProcessesMergeIntoWhatTheWholeSweepWrites()
    {
        Assert.True(sweep.Whole.ExitCode == 0, sweep.Whole.All);
        foreach (var shard in sweep.Shards) Assert.True(shard.ExitCode == 0, shard.All);
        Assert.Contains("shard 2/3 runs 3 of them", sweep.Shards[1].Stdout);

        var o = CliRunner.RunIn(sweep.Dir, "sweep", "merge", "shards", "--json", "merged.json", "--csv", "merged.csv");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("← best", o.Stdout);
        Assert.Contains("8 runs merged", o.Stdout);
        // The same bytes but for the time each run took, which no two runs share.
        Assert.Equal(WithoutTimes(Read("whole.json")), WithoutTimes(Read("merged.json")));
        Assert.Equal(CsvWithoutTimes(Read("whole.csv")), CsvWithoutTimes(Read("merged.csv")));
        Assert.DoesNotContain("\"shard\"", Read("merged.json"));
        // the table too, but for its time column
        Assert.Equal(TableWithoutTimes(sweep.Whole.Stdout), TableWithoutTimes(o.Stdout));
    }

    [Fact]
    public void ShardsTakeTheGridInTurnAndTogetherHoldItOnce()
    {
        var spec = SweepSpec.Parse(ShardedSweep.Spec, "s.json", ".");
        for (int count = 1; count <= 10; count++)
        {
            var parts = Enumerable.Range(1, count).Select(i => spec.ForShard(new SweepShard(i, count)).Points.Select(p => p.Index).ToList()).ToList();
            Assert.Equal(Enumerable.Range(0, 8), parts.SelectMany(p => p).Order());
            Assert.True(parts.Max(p => p.Count) - parts.Min(p => p.Count) <= 1);
            Assert.Equal([0, 3, 6], spec.ForShard(new SweepShard(1, 3)).Points.Select(p => p.Index));
        }
        Assert.Equal(8, spec.ForShard(new SweepShard(2, 3)).GridSize);
    }

    [Theory]
    [InlineData("0/3", "numbered from 1 to 3")]
    [InlineData("4/3", "numbered from 1 to 3")]
    [InlineData("1/0", "between 1 and")]
    [InlineData("2", "expected i/N")]
    [InlineData("a/b", "expected i/N")]
    [InlineData("-1/3", "expected i/N")]
    [InlineData("1/99999999999999999999", "expected i/N")]
    public void BadShardSpecsAreCleanErrors(string text, string mention) =>
        CliRunner.AssertCleanError(CliRunner.RunIn(sweep.Dir, "sweep", "--config", "sweep.json", "--shard", text, "--json", "x.json"), mention);

    [Fact]
    public void AShardNeedsItsJson() =>
        CliRunner.AssertCleanError(CliRunner.RunIn(sweep.Dir, "sweep", "--config", "sweep.json", "--shard", "1/3", "--csv", "x.csv"), "needs --json");

    [Fact]
    public void AMissingShardIsACleanError() =>
        CliRunner.AssertCleanError(CliRunner.RunIn(sweep.Dir, "sweep", "merge", sweep.Shard(1), sweep.Shard(3), "--json", "m.json"), "shard 2/3 is missing");

    [Fact]
    public void MismatchedShardsAreRefusedNamingTheFiles()
    {
        Assert.Contains("given twice", Refused(sweep.Shard(1), sweep.Shard(2), sweep.Shard(3), sweep.Shard(2)));
        Assert.Contains("their base differs at 'steps'", Refused(sweep.Shard(1), Edited(2, s => s["base"]!["steps"] = 41), sweep.Shard(3)));
        Assert.Contains("their grid differs at 'seed'", Refused(sweep.Shard(1), Edited(2, s => s["grid"]!["seed"] = new JsonArray(1, 3)), sweep.Shard(3)));
        Assert.Contains("is shard 2/4", Refused(sweep.Shard(1), Edited(2, s => s["shard"]!["count"] = 4), sweep.Shard(3)));
        Assert.Contains("does not hold the runs of shard 2/3", Refused(sweep.Shard(1), Edited(2, s => s["runs"]!.AsArray().RemoveAt(0)), sweep.Shard(3)));
        Assert.Contains("has no \"shard\"", Refused(Path.Combine(sweep.Dir, "whole.json")));
        Assert.Contains("lacks an index", Refused(sweep.Shard(1), Edited(2, s => s["runs"]![0]!["evaluation"]!["mse"] = "low"), sweep.Shard(3)));
        Assert.Contains("not valid JSON", Refused(sweep.Shard(1), Written("{\"shard\": ", "cut.json"), sweep.Shard(3)));
        Assert.Contains("is given twice; give it once", Refused(Written(File.ReadAllText(sweep.Shard(1)).Replace("\"steps\": 40,", "\"steps\": 40, \"steps\": 41,"), "twice.json")));
        Assert.Contains("holds no shard files", Refused(Directory.CreateTempSubdirectory("neuralfit-empty-").FullName));
        Assert.Contains("does not exist", Refused(Path.Combine(sweep.Dir, "no-such.json")));
    }

    static string Refused(params string[] paths) => Assert.Throws<InputError>(() => SweepMerge.Files(paths)).Message;

    string Edited(int shard, Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(sweep.Shard(shard)))!.AsObject();
        edit(json);
        return Written(json.ToJsonString(), $"edited-{Guid.NewGuid():N}.json");
    }

    string Written(string text, string name)
    {
        var path = Path.Combine(sweep.Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    string Read(string name) => File.ReadAllText(Path.Combine(sweep.Dir, name));

    internal static string WithoutTimes(string json) => Regex.Replace(json, "\"(wallSeconds|stepsPerSecond)\": [^,\n]+", "\"$1\": 0");

    internal static string CsvWithoutTimes(string csv) =>
        string.Join("\n", csv.Split('\n').Select(line => line.Split(',') is { Length: > 3 } cells ? string.Join(",", cells[..^3].Append(cells[^1])) : line));

    static string TableWithoutTimes(string stdout) =>
        Regex.Replace(Regex.Replace(stdout[stdout.IndexOf("  optimizer ", StringComparison.Ordinal)..stdout.IndexOf("best:", StringComparison.Ordinal)], @"\d+\.\d\d s", ""), "[ -]+", " ");
}
