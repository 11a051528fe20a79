using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Reporting;
using NeuralFit.Runs;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit diagnose`: train with probes, then say what went wrong, why, and what to change.</summary>
static class DiagnoseCommand
{
    public static Command Create()
    {
        var command = new Command("diagnose", "Train with probes attached; report findings with evidence, the cause chain, and fixes.");
        var config = new ConfigOptions();
        config.AddTo(command);
        var json = new Option<string>("--json") { Description = "write the result with findings and cause chain as JSON to this file", HelpName = "file" };
        var quiet = new Option<bool>("--quiet") { Description = "print only the findings" };
        command.Options.Add(json);
        command.Options.Add(quiet);
        command.SetAction(parse =>
        {
            var run = config.Read(parse);
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            bool isQuiet = parse.GetValue(quiet);
            using var progress = isQuiet ? null : new ProgressLine();
            var hooks = new FitHooks
            {
                Display = isQuiet ? null : line => { progress?.Clear(); Console.WriteLine(RunReport.Display(line)); },
                Progress = progress is null ? null : progress.Update,
            };
            var result = Diagnoser.Run(run, hooks);
            progress?.Clear();
            if (!isQuiet) Console.Write(RunReport.Summary(result.Fit));
            Console.Write(DiagnosisReport.Render(result));
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(DiagnosisJson.Build(result)));
            return result.Fit.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        });
        return command;
    }
}
