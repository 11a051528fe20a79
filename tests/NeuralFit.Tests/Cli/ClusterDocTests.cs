using System.Diagnostics;
using System.Text.RegularExpressions;
using NeuralFit.Tests.Packaging;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// docs/sweeps-on-clusters.md as a scheduler runs it: the Slurm array's script and the Kubernetes Indexed Job's command,
/// each run once per shard with the variables Slurm and Kubernetes set, then the merge command the page gives; the
/// merged files must be the whole sweep's.
/// </summary>
[Collection(ShardedSweepCollection.Name)]
public class ClusterDocTests(ShardedSweep sweep)
{
    static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "sweeps-on-clusters.md"));

    [Fact]
    public void TheSlurmArrayRunsEveryShardAndItsDependentJobMerges()
    {
        if (OperatingSystem.IsWindows()) return; // the schedulers run POSIX shells
        var script = Block("## Slurm", "bash");
        Assert.Contains("#SBATCH --array=1-8", script);
        var dir = Folder();
        var tasks = Enumerable.Range(3, 3).Select(id => Shell(dir, "bash", script, // an array of 3 numbered from 3, as --array=3-5 makes it
            new() { ["SLURM_ARRAY_TASK_ID"] = $"{id}", ["SLURM_ARRAY_TASK_MIN"] = "3", ["SLURM_ARRAY_TASK_MAX"] = "5", ["SLURM_ARRAY_TASK_COUNT"] = "3" })).ToList();
        foreach (var task in tasks) AssertRan(task.WaitForExit(CliProcess.Patience));
        Assert.Equal(["shard-1.json", "shard-2.json", "shard-3.json"], Directory.GetFiles(Path.Combine(dir, "shards")).Select(Path.GetFileName).Order());

        var merge = Regex.Match(Block("Submit the array", "sh"), "--wrap '([^']+)'").Groups[1].Value;
        AssertRan(Shell(dir, "sh", merge, []).WaitForExit(CliProcess.Patience));
        AssertMergedAsWhole(dir);
    }

    [Fact]
    public void TheIndexedJobRunsEveryShardAndTheMergeJobMerges()
    {
        if (OperatingSystem.IsWindows()) return;
        var job = Block("`sweep-job.yaml`", "yaml");
        Assert.Contains("completionMode: Indexed", job);
        // SHARDS must be the number of completions, or the shards would not cover the grid
        Assert.Equal(Regex.Match(job, @"completions: (\d+)").Groups[1].Value, Regex.Match(job, @"name: SHARDS\s+value: ""(\d+)""").Groups[1].Value);
        var lines = job.Split('\n');
        int args = Array.FindIndex(lines, l => l.Trim() == "- |");
        int indent = lines[args + 1].Length - lines[args + 1].TrimStart().Length;
        var script = string.Join("\n", lines.Skip(args + 1).TakeWhile(l => l.Length - l.TrimStart().Length >= indent).Select(l => l[indent..]));
        var dir = Folder();
        var pods = Enumerable.Range(0, 3).Select(index => Shell(dir, "sh", script, new() { ["JOB_COMPLETION_INDEX"] = $"{index}", ["SHARDS"] = "3" })).ToList();
        foreach (var pod in pods) AssertRan(pod.WaitForExit(CliProcess.Patience));

        var command = Regex.Match(Block("`merge-job.yaml`", "yaml"), @"command: \[(.+)\]").Groups[1].Value;
        var words = Regex.Matches(command, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal("neuralfit", words[0]);
        AssertRan(Shell(dir, "sh", string.Join(" ", words), []).WaitForExit(CliProcess.Patience));
        AssertMergedAsWhole(dir);
    }

    void AssertMergedAsWhole(string dir)
    {
        Assert.Equal(SweepShardTests.WithoutTimes(File.ReadAllText(Path.Combine(sweep.Dir, "whole.json"))), SweepShardTests.WithoutTimes(File.ReadAllText(Path.Combine(dir, "runs.json"))));
        Assert.Equal(SweepShardTests.CsvWithoutTimes(File.ReadAllText(Path.Combine(sweep.Dir, "whole.csv"))), SweepShardTests.CsvWithoutTimes(File.ReadAllText(Path.Combine(dir, "runs.csv"))));
    }

    static void AssertRan(CliRunner.Outcome o) => Assert.True(o.ExitCode == 0, o.All);

    /// <summary>A folder holding the sweep file, as the page's shared folder does.</summary>
    string Folder()
    {
        var dir = Directory.CreateDirectory(Path.Combine(sweep.Dir, $"cluster-{Guid.NewGuid():N}")).FullName;
        File.Copy(Path.Combine(sweep.Dir, "sweep.json"), Path.Combine(dir, "sweep.json"));
        return dir;
    }

    /// <summary>The first code block of this language after the heading or line that starts with <paramref name="after"/>.</summary>
    static string Block(string after, string language)
    {
        int at = Page.IndexOf("\n" + after, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/sweeps-on-clusters.md has no '{after}'");
        int start = Page.IndexOf($"```{language}\n", at, StringComparison.Ordinal) + language.Length + 4;
        return Page[start..Page.IndexOf("```", start, StringComparison.Ordinal)];
    }

    /// <summary>Runs a script with `neuralfit` on the PATH (this build of it), as a node or a pod would.</summary>
    static CliProcess Shell(string dir, string shell, string script, Dictionary<string, string> environment)
    {
        var bin = Directory.CreateDirectory(Path.Combine(dir, ".bin")).FullName;
        var shim = Path.Combine(bin, "neuralfit");
        if (!File.Exists(shim))
        {
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            File.WriteAllText(shim, $"#!/bin/sh\nexec '{dotnet}' '{Path.Combine(AppContext.BaseDirectory, "NeuralFit.Cli.dll")}' \"$@\"\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(shim, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
        start.Environment.Remove("NEURALFIT_DEBUG");
        foreach (var (key, value) in environment) start.Environment[key] = value;
        return CliProcess.Start(start);
    }
}
