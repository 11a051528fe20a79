using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Results;

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
        var outputs = new OutputOptions();
        command.Options.Add(json);
        outputs.AddTo(command);
        command.SetAction(parse => Interruption.Run("the diagnosis", interruption =>
        {
            var run = config.Read(parse);
            var jsonPath = parse.GetValue(json);
            var roles = new FileRoles();
            config.Claim(roles, parse, run);
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            outputs.Claim(roles, parse);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);
            // The data file read while setting up, where a signal stops the command at once (a pipe may never end);
            // the run then finds it read.
            Configuration.Defaults.Complete(run);
            interruption.Computing();
            var display = new ProgressDisplay(verbosity);
            var result = display.Run(() => Diagnoser.Run(run, OutputOptions.Hooks(display, verbosity), interruption.Token));
            interruption.ThrowIfStopped();
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(DiagnosisJson.Build(result)));
            outputs.Stage(staged, parse, result.Fit, result);
            var lines = staged.Commit(interruption);
            Console.Write(RunReport.Summary(result.Fit, withVerdict: false)); // the metrics are results: --quiet keeps them, as fit's does
            Console.Write(DiagnosisReport.Render(result));
            foreach (var line in lines) Console.WriteLine(line);
            return result.Fit.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        }));
        return command;
    }
}
