using System.CommandLine;
using NeuralFit.Cli.Terminal;
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
        var quiet = new Option<bool>("--quiet") { Description = "print only the final evaluation" };
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
                Extensions = [new UseCores(Environment.ProcessorCount)],
            };
            var result = FitRunner.Run(run, hooks);
            progress?.Clear();

            Console.Write(RunReport.Summary(result));
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(ResultJson.Build(result)));
            return result.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        });
        return command;
    }
}
