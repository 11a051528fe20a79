using System.Text.Json;
using NeuralFit.Persistence.Checkpoints;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// The promises to someone running long fits unattended, checked on the real command: a signal saves the run and says
/// how to resume it; a kill -9 at any moment leaves every file whole; a resumed run ends with the same numbers.
/// <para>
/// However fast or loaded the machine, each signal lands where the test means it to: the test waits for what the
/// command shows (a display line, a checkpoint, a journal line), and the command has far more left to do than it can
/// do before the signal arrives — runs of a hundred million steps, evaluations of millions of points, or a run of a
/// fixed length held at a step (<see cref="CliProcess.StartHeld"/>). Their timeouts are minutes and only matter when
/// something is broken.
/// </para>
/// </summary>
public class InterruptionTests
{
    // Adam, so the run lasts long enough to be interrupted: left to NeuralFit, lm fits sin(3x) in well under a second.
    static readonly string[] Run = ["fit", "--target", "sin(3*x)", "--domain", "-1:1", "--optimizer", "adam", "--seed", "3"];

    /// <summary>More steps than any machine trains before a signal: the signal ends such a run.</summary>
    const string Endless = "100000000";

    /// <summary>A bound on a run the test ends itself, should the test process die before it does.</summary>
    static readonly string[] Orphan = ["--max-seconds", "600"];

    [Theory]
    [InlineData("SIGINT", 2)]
    [InlineData("SIGTERM", 15)]
    public void ASignalSavesTheRunAndItResumesToTheSameNumbers(string name, int signal)
    {
        if (OperatingSystem.IsWindows()) return; // POSIX signals
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        // A display line every step (130 bytes): held, the run stops printing, and so training, within about 500 steps.
        // No periodic checkpoint: the one the test finds is the one the signal saved.
        string[] run = [.. Run, "--layers", "16", "--steps", "12000", "--display-step", "1"];
        var whole = CliRunner.RunIn(dir, [.. run, "--quiet", "--json", "whole.json"]);
        Assert.True(whole.ExitCode == 0, whole.All);

        int stoppedAt;
        using (var p = CliProcess.StartHeld(dir, "step    100: ", [.. run, "--checkpoint", "ck", "--checkpoint-every", "1000000"]))
        {
            p.AwaitStdout("step    100: "); // training, and held from here
            p.Signal(signal);
            var o = p.WaitForExit();
            Assert.True(o.ExitCode == 130, $"exit code {o.ExitCode}: {o.All}");
            var line = Assert.Single(WithoutProgress(o.Stderr));
            string expected = $"^neuralfit: interrupted by {name} after step ([0-9,]+) of 12,000; the checkpoint and the best model so far are in ck; " +
                              "resume with: neuralfit fit --resume ck$";
            Assert.Matches(expected, line);
            var said = System.Text.RegularExpressions.Regex.Match(line, expected);
            stoppedAt = int.Parse(said.Groups[1].Value.Replace(",", ""));
            Assert.Contains("stopped: cancelled", o.Stdout);
        }
        var checkpoint = CheckpointFolder.Load(Path.Combine(dir, "ck"));
        Assert.Equal(stoppedAt, checkpoint.Step); // saved where the signal stopped it
        Assert.InRange(checkpoint.Step, 100, 11_999);
        BestModelFile.Read(Path.Combine(dir, "ck", "best-model.json"));

        var resumed = CliRunner.RunIn(dir, "fit", "--resume", "ck", "--json", "resumed.json", "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains($"resumed at step {checkpoint.Step:N0}, trained to step 12,000", resumed.Stdout);
        AssertSameNumbers(Path.Combine(dir, "whole.json"), Path.Combine(dir, "resumed.json"));
    }

    /// <summary>The line a signal prints is a command that works: for a data run too, and from another folder.</summary>
    [Fact]
    public void AnInterruptedDataRunResumesWithTheCommandItPrints()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        File.WriteAllText(Path.Combine(dir, "d.csv"), "x,y\n" + string.Concat(Enumerable.Range(1, 200).Select(i => $"{i},{i * i}\n")));
        Directory.CreateDirectory(Path.Combine(dir, "elsewhere"));
        using (var p = CliProcess.Start(dir, ["fit", "--data", "d.csv", "--optimizer", "adam", "--steps", Endless, "--patience", "1000000", .. Orphan,
                   "--checkpoint", "ck", "--checkpoint-every", "100", "--quiet"]))
        {
            p.AwaitState(() => File.Exists(Path.Combine(dir, "ck", "checkpoint.json")), "no checkpoint appeared");
            p.Signal(2);
            var o = p.WaitForExit();
            Assert.Equal(130, o.ExitCode);
            Assert.EndsWith("resume with: neuralfit fit --resume ck", o.Stderr.Trim());
        }
        var resumed = CliRunner.RunIn(Path.Combine(dir, "elsewhere"), "fit", "--resume", "../ck", "--steps", "100000000", "--max-seconds", "1", "--quiet");
        Assert.True(resumed.ExitCode == 0, resumed.All);
        Assert.Contains("resumed at step", resumed.Stdout);
    }

    [Fact]
    public void AnInterruptedRunWithoutACheckpointFolderIsSavedInANewOne()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        using var p = CliProcess.Start(dir, [.. Run, "--steps", Endless, .. Orphan, "--display-step", "100"]);
        p.AwaitStdout("step    100: "); // into training: there is no checkpoint file to wait for
        p.Signal(2);
        var o = p.WaitForExit();
        Assert.Equal(130, o.ExitCode);
        string folder = Assert.Single(Directory.GetDirectories(dir, "neuralfit-checkpoint-*"));
        Assert.Contains($"resume with: neuralfit fit --resume {folder}", o.Stderr);
        Assert.True(CheckpointFolder.Load(folder).Step > 0);
    }

    /// <summary>
    /// seed and doctor keep each finished run in their journal as it finishes: a signal prints what finished, writes
    /// none of the results, exits 130 with one line saying where the runs are kept; the same command run again goes on
    /// from them without training them again, writes its results and removes the journal.
    /// </summary>
    [Theory]
    [InlineData("seed", "--seeds", "3")]
    [InlineData("doctor", "--target", "sin(40*x)", "--domain", "0:1", "--layers", "4", "--seed", "2", "--rounds", "1")]
    public void ASignalKeepsTheFinishedRunsAndTheSameCommandGoesOnFromThem(params string[] command)
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName, journal = Path.Combine(dir, "journal");
        string[] args = [.. command, "--json", "result.json", "--journal", journal];
        int kept;
        using (var p = CliProcess.Start(dir, args))
        {
            // The first run to finish leaves seconds of runs to go (seed: 26 of 27, NeuralFit's own the slowest; doctor:
            // the four replays of its fixes), against the moment a signal takes.
            p.AwaitState(() => Lines(journal) >= 1, "no run finished");
            p.Signal(15);
            var o = p.WaitForExit();
            Assert.True(o.ExitCode == 130, $"exit code {o.ExitCode}: {o.All}");
            var line = o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
            Assert.Matches($"^neuralfit: SIGTERM: the (replication|doctor) stopped.* kept in {System.Text.RegularExpressions.Regex.Escape(journal)}/.*; run the same command again to go on from them$", line);
            Assert.False(File.Exists(Path.Combine(dir, "result.json")));
            kept = Lines(journal);
            Assert.True(kept >= 1);
        }
        var again = CliRunner.RunIn(dir, args);
        Assert.True(again.ExitCode is 0 or 1, again.All);
        Assert.Contains($"oing on from {kept} run", again.All);
        Assert.True(File.Exists(Path.Combine(dir, "result.json")));
        Assert.Empty(Directory.EnumerateFiles(journal));
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>
    /// Once training is over, evaluating a large grid and drawing the report take long: a signal then stops the command
    /// at once, with one line, and leaves none of its outputs — no report folder, half-drawn or not.
    /// </summary>
    [Fact]
    public void ASignalWhileEvaluatingStopsAtOnceAndLeavesNoOutputs()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        using var p = CliProcess.Start(dir, "fit", "--target", "sin(x)", "--domain", "0:3", "--layers", "100,100", "--optimizer", "adam", "--steps", "3",
            "--eval-points", LongEvaluation, "--checkpoint", "ck", "--json", "result.json", "--out", "model.json", "--report", "report", "--quiet");
        // The final checkpoint is written when training ends (a signal from then on, even before the command has
        // moved on, stops it at once); the evaluation of a million points follows.
        p.AwaitState(() => File.Exists(Path.Combine(dir, "ck", "checkpoint.json")), "training did not end");
        p.Signal(2);
        var o = p.WaitForExit();
        Assert.True(o.ExitCode == 130, $"exit code {o.ExitCode}: {o.All}");
        var line = Assert.Single(o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("neuralfit: SIGINT: the run stopped before it finished; its outputs were not written; the checkpoint of step 3 is in ck; resume with: neuralfit fit --resume ck", line);
        Assert.Equal(["ck"], Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).ToArray()); // no report, no temporary folder
    }

    /// <summary>
    /// A million evaluation points for a 100-100 network: a second or more after training on any machine, which a signal
    /// sent as training ends lands in. (Not more: the history measures the same points at the start and end of training.)
    /// </summary>
    const string LongEvaluation = "1000000";

    /// <summary>A second signal, whenever it comes, ends the command at once: one line, and no half-written report.</summary>
    [Fact]
    public void ASecondSignalEndsTheCommandAtOnceWithOneLine()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        // No periodic checkpoint: the only one is written when the first signal has stopped training.
        using var p = CliProcess.Start(dir, [.. Run, "--layers", "100,100", "--steps", Endless, .. Orphan, "--eval-points", LongEvaluation,
            "--checkpoint", "ck", "--checkpoint-every", Endless, "--display-step", "10", "--report", "report"]);
        p.AwaitStdout("step     10: ");
        p.Signal(2);
        p.AwaitState(() => File.Exists(Path.Combine(dir, "ck", "checkpoint.json")), "the first signal did not stop training");
        p.Signal(2);
        var o = p.WaitForExit();
        Assert.True(o.ExitCode == 130, $"exit code {o.ExitCode}: {o.All}");
        var line = Assert.Single(WithoutProgress(o.Stderr));
        Assert.StartsWith("neuralfit: SIGINT: the run stopped before it finished; its outputs were not written; the checkpoint of step ", line);
        Assert.Equal(["ck"], Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).ToArray());
        CheckpointFolder.Load(Path.Combine(dir, "ck")); // whole
    }

    /// <summary>
    /// Reading a data file from a pipe whose writer never writes blocks: a signal while the command sets up ends it at
    /// once, with one line (once it was taken as a request to stop training, which had not started: the command hung).
    /// </summary>
    [Theory]
    [InlineData("fit", "the run")]
    [InlineData("diagnose", "the diagnosis")]
    public void ASignalWhileReadingTheDataEndsTheCommandAtOnce(string command, string what)
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName, fifo = Path.Combine(dir, "data.csv");
        Security.SpecialFiles.MakeFifo(fifo);
        // held open for reading and writing (Linux opens a FIFO so without waiting): a writer that never writes
        using var writer = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite);
        using var p = CliProcess.Start(dir, command, "--data", "data.csv", "--json", "result.json");
        p.AwaitState(() => p.HasOpen(fifo), "the command did not open its data"); // and so is setting up, its signal handlers in place
        p.Signal(2);
        var o = p.WaitForExit();
        Assert.Equal(130, o.ExitCode);
        Assert.Equal($"neuralfit: SIGINT: {what} stopped before it finished; nothing was written", Assert.Single(o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(["data.csv"], Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).ToArray());
    }

    /// <summary>bench, predict and export have nothing to stop cleanly at: a signal ends them at once, with one line.</summary>
    [Fact]
    public void ASignalEndsABenchmarkAtOnceWithOneLine()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-signal-").FullName;
        using var p = CliProcess.Start(dir, "bench", "--seconds", "60", "--json", "bench.json"); // a minute for each case: only the signal ends it
        p.AwaitStdout("kernel"); // the benchmark has started
        p.Signal(15);
        var o = p.WaitForExit();
        Assert.Equal(130, o.ExitCode);
        Assert.Equal("neuralfit: SIGTERM: the benchmark stopped before it finished; nothing was written", Assert.Single(o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Empty(Directory.GetFileSystemEntries(dir));
    }

    /// <summary>Lines in the journal folder's file: runs that finished. The folder also holds, for a moment, the
    /// command's probe of whether it can write there (locked, then gone): only the journal itself is read.</summary>
    static int Lines(string journal)
    {
        if (!Directory.Exists(journal)) return 0;
        try { return Directory.EnumerateFiles(journal, "*.jsonl").Sum(f => File.ReadAllLines(f).Count(l => l.EndsWith('}'))); }
        catch (IOException) { return 0; } // removed or replaced as it was read: asked again in a moment
    }

    /// <summary>stderr's lines but the plain progress lines a redirected run prints every 10 s (a loaded machine's run may last that long).</summary>
    static string[] WithoutProgress(string stderr) =>
        stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith("progress: ", StringComparison.Ordinal)).ToArray();

    [Fact]
    public void KillNineAtRandomMomentsLeavesEveryFileWholeAndTheRunStillEndsTheSame()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-kill-").FullName, ck = Path.Combine(dir, "ck");
        // Enough steps that 20 rounds of at most 50 ms of training each cannot finish the run, even at a checkpoint every step.
        string[] run = [.. Run, "--quiet", "--steps", "60000", "--layers", "8"];
        var whole = CliRunner.RunIn(dir, [.. run, "--json", "whole.json"]);
        Assert.True(whole.ExitCode == 0, whole.All);

        var random = new Random(20);
        var leftovers = new HashSet<string>();
        int kills = 0, lastStep = 0;
        for (int round = 0; round < 20; round++)
        {
            // The first run starts the checkpoints (one every step); each later one resumes where the last kill left it.
            // The kill comes at a random moment once this process has written a checkpoint of its own.
            string[] args = round == 0 ? [.. run, "--checkpoint", "ck", "--checkpoint-every", "1"] : ["fit", "--resume", "ck", "--quiet"];
            var before = File.Exists(CheckpointFolder.CheckpointPath(ck)) ? File.GetLastWriteTimeUtc(CheckpointFolder.CheckpointPath(ck)) : default;
            using var p = CliProcess.Start(dir, args);
            p.AwaitState(() => File.Exists(CheckpointFolder.CheckpointPath(ck)) && File.GetLastWriteTimeUtc(CheckpointFolder.CheckpointPath(ck)) != before,
                "no new checkpoint appeared");
            Thread.Sleep(random.Next(0, 50)); // a moment among the writes of a checkpoint every step, not a wait for a state
            Assert.False(p.HasExited, "the run finished before the kill");
            p.KillHard();
            p.WaitForExit();
            kills++;

            // Every file on disk loads: the checkpoint and the best model are whole, old or new, never cut short.
            foreach (var file in Directory.GetFiles(ck))
            {
                string name = Path.GetFileName(file);
                if (name.EndsWith(".tmp")) { leftovers.Add(name); continue; } // a write the kill cut short, never renamed into place
                if (name == CheckpointFolder.CheckpointFileName) lastStep = Math.Max(lastStep, CheckpointFolder.Load(ck).Step);
                else if (name == CheckpointFolder.BestModelFileName) BestModelFile.Read(file);
                else if (name == CheckpointLock.FileName) continue; // the killed run's lock: stale, taken over by the next run
                else Assert.Fail($"unexpected file {name} in the checkpoint folder");
            }
        }
        Assert.Equal(20, kills);
        Assert.True(lastStep > 0);

        var finished = CliRunner.RunIn(dir, "fit", "--resume", "ck", "--checkpoint-every", "1000000", "--json", "resumed.json", "--quiet");
        Assert.True(finished.ExitCode == 0, finished.All);
        AssertSameNumbers(Path.Combine(dir, "whole.json"), Path.Combine(dir, "resumed.json"));
        Assert.Empty(Directory.GetFiles(ck, "*.tmp")); // the leftovers of killed writes are cleaned up by the next run
        Assert.False(File.Exists(Path.Combine(ck, CheckpointLock.FileName))); // and its lock, released at the end
        Console.WriteLine($"kill -9: {kills} kills, {leftovers.Count} half-written temporary files found and ignored, resumed from step {lastStep}");
    }

    static void AssertSameNumbers(string expectedPath, string actualPath)
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(expectedPath));
        using var actual = JsonDocument.Parse(File.ReadAllText(actualPath));
        foreach (var key in new[] { "steps", "evaluation", "history", "stopReason" })
            Assert.Equal(expected.RootElement.GetProperty(key).GetRawText(), actual.RootElement.GetProperty(key).GetRawText());
    }
}
