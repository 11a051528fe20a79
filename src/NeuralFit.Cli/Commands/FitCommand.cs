using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Reporting;
using NeuralFit.Runs;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit fit`: train one network and report how well it fits.</summary>
static class FitCommand
{
    public static Command Create()
    {
        var command = new Command("fit", "Train a network on a target expression or a data file and evaluate it on a grid.");
        var config = new ConfigOptions();
        config.AddTo(command);
        var json = new Option<string>("--json") { Description = "write the result (config, evaluation, history) as JSON to this file", HelpName = "file" };
        var outputs = new OutputOptions();
        command.Options.Add(json);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            var run = config.Read(parse);
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);

            var display = new ProgressDisplay(verbosity);
            var hooks = OutputOptions.Hooks(display, verbosity);
            var (result, diagnosis) = display.Run(() => Train(run, hooks, withProbes: outputs.ReportDirectory(parse) is not null));

            Console.Write(RunReport.Summary(result));
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(ResultJson.Build(result)));
            outputs.Write(parse, result, diagnosis);
            return result.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A report shows each layer's live units over the steps, which only the probes measure. They read the network
    /// without changing it, so the run's numbers are the same with or without them.
    /// </summary>
    static (FitResult, DiagnosisResult?) Train(Configuration.RunConfig run, FitHooks hooks, bool withProbes)
    {
        if (!withProbes) return (FitRunner.Run(run, hooks), null);
        var diagnosis = Diagnoser.Run(run, hooks);
        return (diagnosis.Fit, diagnosis);
    }
}
