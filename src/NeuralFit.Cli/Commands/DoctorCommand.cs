using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Results;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit doctor`: diagnose, replay candidate fixes, keep what works, and retrain until it fits.</summary>
static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Diagnose a run, replay it with each candidate fix (same seed, same data), keep the fixes that work, repeat until it fits.");
        var config = new ConfigOptions();
        config.AddTo(command);
        var json = new Option<string>("--json") { Description = "write every round (findings, replays, chosen fix) as JSON to this file", HelpName = "file" };
        var save = new Option<string>("--save-config") { Description = "write the fixed configuration to this file", HelpName = "file" };
        var rounds = NumberOptions.Create("--rounds", "at most this many rounds of fixes", 3, "N");
        command.Options.Add(json);
        command.Options.Add(save);
        command.Options.Add(rounds);
        var outputs = new OutputOptions();
        outputs.AddTo(command);
        command.SetAction(parse => Interruption.Run("the doctor's replays", interruption =>
        {
            var run = config.Read(parse);
            if (run.Checkpoint is not null)
                throw new InputError("--checkpoint does not apply to doctor: it replays the run many times, side by side; checkpoint a long run with 'neuralfit fit'");
            int maxRounds = NumberOptions.Count(parse, rounds, 3, 1, 10);
            var roles = new FileRoles();
            config.Claim(roles, parse, run);
            if (parse.GetValue(json) is string j) roles.Output("--json", j);
            if (parse.GetValue(save) is string sc) roles.Output("--save-config", sc);
            outputs.Claim(roles, parse);
            roles.Check();
            foreach (var path in new[] { parse.GetValue(json), parse.GetValue(save) })
                if (path is not null) AtomicFile.CheckWritable(path);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);

            // The data file read while setting up, where a signal stops the command at once (a pipe may never end);
            // the run then finds it read.
            Configuration.Defaults.Complete(run);
            interruption.Computing();
            var result = Doctor.Run(run, maxRounds, log: verbosity == Verbosity.Quiet ? null : line => Console.Error.WriteLine(line),
                cancel: interruption.Token);
            interruption.ThrowIfStopped();
            if (verbosity == Verbosity.Verbose)
                foreach (var round in result.Rounds) Console.Write($"\nround {round.Number}, before its fix:" + DiagnosisReport.Render(round.Diagnosis));
            using var staged = new Outputs(interruption);
            outputs.Stage(staged, parse, result.Final.Fit, result.Final);
            if (parse.GetValue(save) is string savePath)
                staged.Text(savePath, ResultJson.ToText(ConfigReader.ToJson(Portable(result.Final.Fit.Config))));
            if (parse.GetValue(json) is string jsonPath)
                staged.Text(jsonPath, ResultJson.ToText(DoctorJson.Build(result)));
            var lines = staged.Commit(interruption);
            Console.Write(DoctorReport.Render(result));
            foreach (var line in lines) Console.WriteLine(line);
            return result.Fits ? ExitCodes.Success : ExitCodes.GoalMissed;
        }));
        return command;
    }

    /// <summary>A data file named by its full path: the saved configuration may be anywhere, and a relative path in a
    /// configuration file is read from the file's own folder.</summary>
    static RunConfig Portable(RunConfig c) => c.Data is null ? c : c with { Data = Path.GetFullPath(Targets.Datasets.Dataset.PathOf(c)) };
}
