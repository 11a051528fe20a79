using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Results;
using NeuralFit.Fitting;
using NeuralFit.Training;

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
        var resume = new Option<string>("--resume") { Description = "continue the run whose checkpoint is in this folder; --steps may raise its steps", HelpName = "folder" };
        var outputs = new OutputOptions();
        command.Options.Add(json);
        command.Options.Add(resume);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            using var interruption = new Interruption(); // first, so a signal at any point leaves a resumable run
            var (run, checkpoints) = FitSetup.Read(parse, config, parse.GetValue(resume));
            using var release = checkpoints; // the checkpoint folder's lock, whatever happens
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);

            var display = new ProgressDisplay(verbosity);
            var hooks = OutputOptions.Hooks(display, verbosity);
            hooks = hooks with { Extensions = [.. hooks.Extensions, checkpoints, new UseCores(Environment.ProcessorCount)] };
            var (result, diagnosis) = display.Run(() => Train(run, hooks, withProbes: outputs.ReportDirectory(parse) is not null, interruption.Token));

            Console.Write(RunReport.Summary(result));
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(ResultJson.Build(result)));
            outputs.Write(parse, result, diagnosis);
            if (result.StopReason == StopReason.Cancelled)
            {
                Console.Error.WriteLine($"neuralfit: {FitSetup.InterruptedLine(interruption.Signal ?? "a signal", result, checkpoints)}");
                return ExitCodes.Interrupted;
            }
            foreach (var failure in checkpoints.Failures) Console.Error.WriteLine($"neuralfit: warning: a checkpoint was not written: {failure}");
            return result.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// A report shows each layer's live units over the steps, which only the probes measure. They read the network
    /// without changing it, so the run's numbers are the same with or without them.
    /// </summary>
    static (FitResult, DiagnosisResult?) Train(Configuration.RunConfig run, FitHooks hooks, bool withProbes, CancellationToken cancel)
    {
        if (!withProbes) return (FitRunner.Run(run, hooks, cancel), null);
        var diagnosis = Diagnoser.Run(run, hooks, cancel);
        return (diagnosis.Fit, diagnosis);
    }
}
