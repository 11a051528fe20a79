using System.CommandLine;
using System.Diagnostics;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Results;
using NeuralFit.Sweeps;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit sweep`: a grid of runs over any configuration keys, one run per core.</summary>
static class SweepCommand
{
    const string Format = """
        Run a grid of fits, one run per core, and tabulate them. The sweep file holds a base run configuration (any
        keys of `neuralfit fit --config`) and a grid: configuration keys, each with a list of values; there is one run
        per combination (the last key varies fastest). For example:
          { "base": { "target": "ln(x)", "domain": "0.01:1", "layers": [50, 10], "activation": "relu", "steps": 3000 },
            "grid": { "init": ["he-uniform", "truncated-normal:0.1"], "optimizer": ["adam", "sgd"],
                      "learningRate": [1e-3, 1e-2], "seed": [1, 2, 3] } }
        Every combination is checked before the first run starts.
        """;

    public static Command Create()
    {
        var command = new Command("sweep", Format);
        var config = new Option<string>("--config") { Description = "the sweep file (JSON: base and grid)", HelpName = "sweep.json", Required = true };
        var json = new Option<string>("--json") { Description = "write every run (grid values, effective config, evaluation) as JSON to this file", HelpName = "file" };
        var csv = new Option<string>("--csv") { Description = "write one CSV row per run (grid values, mse, rmse, maxAbsError, r2, steps, time) to this file", HelpName = "file" };
        command.Options.Add(config);
        command.Options.Add(json);
        command.Options.Add(csv);
        command.SetAction(parse => Interruption.Run("the sweep", interruption =>
        {
            var spec = SweepSpec.FromFile(parse.GetValue(config)!);
            foreach (var point in spec.Points)
                if (point.Config.Checkpoint is { } folder) Persistence.Checkpoints.CheckpointFolder.CheckHoldsNoCheckpoint(folder);
            var (jsonPath, csvPath) = (parse.GetValue(json), parse.GetValue(csv));
            var roles = new FileRoles();
            roles.Input("--config", parse.GetValue(config)!);
            foreach (var point in spec.Points)
            {
                if (point.Config.Data is not null) roles.Input("the sweep's data", point.Config.Data, Targets.Datasets.Dataset.PathOf(point.Config));
                if (point.Config.Checkpoint is string folder)
                    roles.OutputFolder($"the checkpoint folder of run {point.Index + 1}", folder, [Persistence.Checkpoints.CheckpointFolder.CheckpointFileName, Persistence.Checkpoints.CheckpointFolder.BestModelFileName]);
            }
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            if (csvPath is not null) roles.Output("--csv", csvPath);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            if (csvPath is not null) AtomicFile.CheckWritable(csvPath);

            Console.WriteLine($"Sweeping {string.Join(" × ", spec.Grid.Select(a => $"{a.Key} ({a.Values.Count})"))} = {spec.Points.Count} runs on {Environment.ProcessorCount} cores.");
            interruption.Computing();
            var clock = Stopwatch.StartNew();
            var display = new ProgressDisplay(Verbosity.Normal, unit: "run");
            var runs = display.Run(() => Sweeper.Run(spec, (done, total) =>
                display.Update(new Training.Observers.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)),
                cancel: interruption.Token));
            interruption.ThrowIfStopped();
            double seconds = clock.Elapsed.TotalSeconds;
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(SweepJson.Build(spec, runs)));
            if (csvPath is not null) staged.Text(csvPath, SweepJson.Csv(spec, runs));
            staged.Commit(interruption);
            Console.Write(SweepReport.Render(spec, runs));
            Console.WriteLine($"{runs.Count} runs in {seconds:F1} s.");
            return ExitCodes.Success;
        }));
        return command;
    }
}
