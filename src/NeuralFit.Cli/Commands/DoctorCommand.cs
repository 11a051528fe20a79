using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Results;

namespace NeuralFit.Cli.Commands;

/// <summary>
/// `neuralfit doctor`: diagnose, replay candidate fixes, keep what passes, and retrain until it fits. Every finished
/// run goes to a journal (<see cref="Journals"/>) as it finishes; a signal stops the replays, prints what finished and
/// exits 130, and the same command run again goes on from the journal without training those runs again.
/// </summary>
static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Diagnose a run, replay it with each candidate fix (same seed, same data), keep the fixes that pass the acceptance test, repeat until it fits.");
        var config = new ConfigOptions();
        config.AddTo(command);
        var json = new Option<string>("--json") { Description = "write every round (findings, replays, chosen fix) as JSON to this file", HelpName = "file" };
        var save = new Option<string>("--save-config") { Description = "write the fixed configuration to this file (the settings its optimizer uses)", HelpName = "file" };
        var rounds = NumberOptions.Create("--rounds", "at most this many rounds of fixes", 3, "N");
        command.Options.Add(json);
        command.Options.Add(save);
        command.Options.Add(rounds);
        var journals = new Journals();
        journals.AddTo(command);
        var outputs = new OutputOptions();
        outputs.AddTo(command);
        command.SetAction(parse => Interruption.Run("the doctor", interruption =>
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
            var journal = journals.Open<RunOutcome>(parse, "doctor", RunKey.Of(run), OutcomeJson.Write, o => OutcomeJson.Read(o, new Configuration.RunConfig()));
            Action<string>? log = verbosity == Verbosity.Quiet ? null : line => Console.Error.WriteLine(line);
            if (journal?.Recalled > 0) log?.Invoke($"going on from {Words.Count(journal.Recalled, "run")} that finished before the last stop ({journal.FilePath})");

            // The data file read while setting up, where a signal stops the command at once (a pipe may never end);
            // the run then finds it read.
            Configuration.Defaults.Complete(run);
            interruption.Computing();
            var result = Doctor.Run(run, maxRounds, log: log, cancel: interruption.Token, journal: journal);
            if (result.Interrupted)
            {
                Console.Write(Terminal.DoctorReport.Render(result));
                Console.Error.WriteLine(journal is null || journal.WriteFailure is not null
                    ? $"neuralfit: {interruption.Signal}: the doctor stopped; the runs that finished could not be kept ({journal?.WriteFailure ?? "no folder for them"})"
                    : $"neuralfit: {interruption.Signal}: the doctor stopped; {(journal.Count == 1 ? "the run that finished is" : $"the {journal.Count:N0} runs that finished are")} kept in {journal.FilePath}; run the same command again to go on from them");
                return ExitCodes.Interrupted;
            }
            // A final run read back from the journal has no model or probes: train it once more (same seed, same
            // numbers) when an output needs them.
            bool needsFull = outputs.ModelPath(parse) is not null || outputs.ReportDirectory(parse) is not null || parse.GetValue(json) is not null;
            if (needsFull && result.Final.Full is null)
            {
                log?.Invoke("training the kept run once more for its model and report (it was read back from the journal)");
                result = result with { Final = RunOutcome.Of(Diagnoser.Run(DoctorCandidates.Rerunnable(result.Final.Config), cancel: interruption.Token)) };
            }
            interruption.ThrowIfStopped();
            if (verbosity == Verbosity.Verbose)
                foreach (var round in result.Rounds) Console.Write($"\nround {round.Number}, before its fix:" + DiagnosisReport.Render(round.Before.Findings, round.Before.CauseChain));
            using var staged = new Outputs(interruption);
            if (result.Final.Full is { } final) outputs.Stage(staged, parse, final.Fit, final);
            if (parse.GetValue(save) is string savePath)
                staged.Text(savePath, ResultJson.ToText(result.SavedConfig));
            if (parse.GetValue(json) is string jsonPath)
                staged.Text(jsonPath, ResultJson.ToText(DoctorJson.Build(result)));
            var lines = staged.Commit(interruption);
            Console.Write(Terminal.DoctorReport.Render(result));
            foreach (var line in lines) Console.WriteLine(line);
            journal?.Complete();
            return result.Fits ? ExitCodes.Success : ExitCodes.GoalMissed;
        }));
        return command;
    }
}
