using System.CommandLine;
using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Fitting;

namespace NeuralFit.Cli.Commands;

/// <summary>
/// How `neuralfit fit` sets up a run: a new one from its configuration, or one continued with --resume. Checkpoints
/// are planned either way, so that an interrupted run can always be continued, even one started without --checkpoint.
/// </summary>
static class FitSetup
{
    /// <param name="interruption">A signal while the command sets up ends it at once: the folder's lock, once taken
    /// here, is released then too, not left behind for the next run to take over.</param>
    public static (RunConfig Config, RunCheckpoints Checkpoints) Read(ParseResult parse, ConfigOptions options, string? resumeFolder, Interruption interruption)
    {
        if (resumeFolder is null)
        {
            var config = options.Read(parse);
            return (config, new RunCheckpoints(CheckpointPlan.For(config) with { InterruptFolder = InterruptFolder() }));
        }
        if (options.HasConfigFile(parse))
            throw new InputError("--config cannot be given with --resume: a resumed run goes on with its checkpoint's configuration");
        // A run that goes on writing its own folder takes the folder's lock before reading the checkpoint there, so no
        // other run can move it on between the reading and the writing.
        var flags = options.FlagKeys(parse);
        var given = ConfigReader.ToJson(options.Read(parse, new FitOptions()));
        var held = flags.Contains("checkpoint") ? null : CheckpointFolder.TakeToResume(resumeFolder);
        if (held is not null) interruption.OnAbort(held.Dispose);
        try
        {
            var state = CheckpointFolder.Load(resumeFolder);
            var (resumed, plan) = Resumption.Continue(resumeFolder, state, ConfigReader.ApplyPatch(state.Config, given, "flags"), flags, held);
            return (resumed, new RunCheckpoints(plan));
        }
        catch
        {
            held?.Dispose();
            throw;
        }
    }

    /// <summary>The line that tells an interrupted user where the run was saved and how to go on.</summary>
    public static string InterruptedLine(string signal, FitResult result, RunCheckpoints checkpoints)
    {
        string where = $"interrupted by {signal} after step {result.Steps:N0} of {result.Config.Steps:N0}";
        if (checkpoints.LastFolder is not { } folder || checkpoints.LastStep != result.Steps)
            return $"{where}; no checkpoint could be saved ({checkpoints.Failures.LastOrDefault() ?? "nothing was written"})";
        return $"{where}; the checkpoint and the best model so far are in {Quote(folder)}; resume with: neuralfit fit --resume {Quote(folder)}";
    }

    /// <summary>A new folder in the working folder, for a run interrupted without --checkpoint; the process id keeps
    /// two runs interrupted in the same second apart.</summary>
    static string InterruptFolder() =>
        Path.GetFullPath($"neuralfit-checkpoint-{DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{Environment.ProcessId}");

    /// <summary>A path as a shell takes it: plain, or in single quotes; shown escaped if it holds control characters.</summary>
    public static string Quote(string path) => path.All(c => char.IsAsciiLetterOrDigit(c) || "/._-+:".Contains(c))
        ? path : $"'{Terminal.Lines.OneLine(path).Replace("'", "'\\''")}'";
}
