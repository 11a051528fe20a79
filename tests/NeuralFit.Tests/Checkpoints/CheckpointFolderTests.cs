using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Sweeps;
using NeuralFit.Tests.Cli;
using static NeuralFit.Tests.Checkpoints.CheckpointRuns;

namespace NeuralFit.Tests.Checkpoints;

/// <summary>
/// A checkpoint folder belongs to one run at a time (its lock), and NeuralFit removes from it only the temporary
/// files it wrote itself.
/// </summary>
public class CheckpointFolderTests
{
    /// <summary>A temporary file name as AtomicFile writes it, of a process that is not running.</summary>
    static string Abandoned(string file) => $".{file}.{DeadProcessId()}.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}";

    static int DeadProcessId()
    {
        for (int pid = 4_000_000; ; pid--)
            try { System.Diagnostics.Process.GetProcessById(pid).Dispose(); }
            catch (ArgumentException) { return pid; }
    }

    [Fact]
    public void OnlyTemporaryFilesNeuralFitWroteAreRemoved()
    {
        string folder = NewFolder();
        string[] mine = [Abandoned(CheckpointFolder.CheckpointFileName), Abandoned(CheckpointFolder.BestModelFileName)];
        string[] theirs =
        [
            ".thesis.40000.draft.tmp", // the issue's: shaped like ours, but no file of ours
            $".notes.txt.{DeadProcessId()}.{Guid.NewGuid():N}.tmp", // our shape exactly, for a file that is not ours
            $".checkpoint.json.{DeadProcessId()}.draft.tmp", ".checkpoint.json.tmp", "checkpoint.json.bak.tmp",
        ];
        foreach (var name in mine.Concat(theirs)) File.WriteAllText(Path.Combine(folder, name), "x");
        FitRunner.Run(Small() with { Steps = 20, Checkpoint = folder });
        foreach (var name in mine) Assert.False(File.Exists(Path.Combine(folder, name)), name);
        foreach (var name in theirs) Assert.True(File.Exists(Path.Combine(folder, name)), name);
    }

    [Fact]
    public void AKilledWritesTemporaryFileIsRemovedByTheNextWriteOfThatFile()
    {
        string dir = NewFolder();
        string model = Path.Combine(dir, "m.json"), killed = Path.Combine(dir, Abandoned("m.json")), other = Path.Combine(dir, Abandoned("other.json"));
        File.WriteAllText(killed, "{ half a mod");
        File.WriteAllText(other, "{ half of another file");
        AtomicFile.WriteAllText(model, "{}");
        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(other)); // another file's: cleaned by the next write of that file only
    }

    [Fact]
    public void TwoRunsCannotShareAFolder()
    {
        string folder = NewFolder();
        Exception? second = null;
        var hooks = new FitHooks
        {
            Extensions = [new RunCheckpoints(new CheckpointPlan { Folder = folder, Every = 10 }),
                new AtStep(5, () => second = Record.Exception(() => FitRunner.Run(Small() with { Target = "x", Steps = 10, Checkpoint = folder })))],
        };
        FitRunner.Run(Small() with { Steps = 20 }, hooks);
        Assert.Contains($"'{folder}' is in use by another run (process {Environment.ProcessId})", Assert.IsType<InputError>(second).Message);
        Assert.False(File.Exists(Path.Combine(folder, CheckpointLock.FileName))); // released at the end
        Assert.Equal(20, CheckpointFolder.Load(folder).Step); // and the folder holds the first run's checkpoint alone
    }

    [Fact]
    public void ALockLeftByAProcessThatDiedIsTakenOver()
    {
        string folder = NewFolder();
        File.WriteAllText(Path.Combine(folder, CheckpointLock.FileName), $"{DeadProcessId()}\n{Guid.NewGuid():N}\n"); // as kill -9 leaves it
        var result = FitRunner.Run(Small() with { Steps = 20, Checkpoint = folder });
        Assert.Equal(20, result.Steps);
        Assert.False(File.Exists(Path.Combine(folder, CheckpointLock.FileName)));
    }

    [Fact]
    public void AResumedRunCannotTakeAnotherRunsFolder()
    {
        string mine = NewFolder(), victim = NewFolder();
        RunUntil(Small(), mine, stopAt: 50);
        RunUntil(Small() with { Seed = 9 }, victim, stopAt: 50);
        var before = File.ReadAllBytes(CheckpointFolder.CheckpointPath(victim));
        var error = Assert.Throws<InputError>(() => Resume(mine, change: c => c with { Checkpoint = victim }, changedKeys: "checkpoint"));
        Assert.Contains($"'{victim}' already holds a checkpoint", error.Message);
        Assert.Equal(before, File.ReadAllBytes(CheckpointFolder.CheckpointPath(victim)));
    }

    [Fact]
    public void EachRunOfASweepHasAFolderOfItsOwn()
    {
        string folder = NewFolder();
        var spec = SweepSpec.Parse($$"""{ "base": { "target": "x", "steps": 20, "optimizer": "adam", "layers": [4], "checkpoint": "{{folder}}" }, "grid": { "seed": [1, 2, 3] } }""", "sweep.json", ".");
        var runs = Sweeper.Run(spec);
        for (int i = 0; i < 3; i++)
        {
            var state = CheckpointFolder.Load(Path.Combine(folder, SweepSpec.RunFolder(i)));
            Assert.Equal((ulong)(i + 1), state.Config.Seed);
            Assert.Equal(runs[i].Result.Steps, state.Step);
        }
    }

    static int CheckpointStep(string folder)
    {
        try { return CheckpointFolder.Load(folder).Step; }
        catch (Exception e) when (e is IOException or InputError) { return 0; } // being replaced: asked again in a moment
    }

    /// <summary>The command's view: a second resume of a folder in use is refused with the process that holds it.</summary>
    [Fact]
    public void TwoResumesOfOneFolderAreRefused()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = NewFolder();
        string[] start = ["fit", "--target", "sin(3*x)", "--optimizer", "adam", "--layers", "8", "--quiet"];
        Assert.Equal(0, CliRunner.RunIn(dir, [.. start, "--steps", "20", "--checkpoint", "ck"]).ExitCode);
        // endless (a hundred million steps, bounded in time only should the test die first): the signal ends it
        using var first = CliProcess.Start(dir, "fit", "--resume", "ck", "--steps", "100000000", "--max-seconds", "600", "--quiet");
        // Training, so set up and holding the lock (its file appears while it is being taken, before it names its
        // holder): the first checkpoint past step 20 is written at step 1,000 (the default of one every 1,000 steps).
        first.AwaitState(() => CheckpointStep(Path.Combine(dir, "ck")) >= 1000, "the first resume did not train");
        var second = CliRunner.RunIn(dir, "fit", "--resume", "ck", "--steps", "100000000", "--quiet");
        CliRunner.AssertCleanError(second, "--resume: 'ck' is in use by another run (process ");
        first.Signal(2);
        var o = first.WaitForExit();
        Assert.True(o.ExitCode == 130, $"exit code {o.ExitCode}: {o.All}");
        Assert.False(File.Exists(Path.Combine(dir, "ck", CheckpointLock.FileName)));
    }
}
