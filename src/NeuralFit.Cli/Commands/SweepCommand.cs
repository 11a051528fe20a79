using System.CommandLine;
using System.Diagnostics;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Results;
using NeuralFit.Sweeps;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit sweep`: a grid of runs over any configuration keys, one run per core; or one shard of it.</summary>
static class SweepCommand
{
    const string Format = """
        Run a grid of fits, one run per core, and tabulate them. The sweep file holds a base run configuration (any
        keys of `neuralfit fit --config`) and a grid: configuration keys, each with a list of values; there is one run
        per combination (the last key varies fastest). For example:
          { "base": { "target": "ln(x)", "domain": "0.01:1", "layers": [50, 10], "activation": "relu", "steps": 3000 },
            "grid": { "init": ["he-uniform", "truncated-normal:0.1"], "optimizer": ["adam", "sgd"],
                      "learningRate": [1e-3, 1e-2], "seed": [1, 2, 3] } }
        Every combination is checked before the first run starts. On many machines, run `--shard i/N --json FILE` on
        each (i = 1..N) and combine the files with `neuralfit sweep merge`.
        """;

    public static Command Create()
    {
        var command = new Command("sweep", Format);
        var config = new Option<string>("--config") { Description = "the sweep file (JSON: base and grid)", HelpName = "sweep.json", Required = true };
        var shard = new Option<string>("--shard") { Description = "run only shard i of N (1 ≤ i ≤ N): the grid's runs whose index is i − 1, i − 1 + N, …; needs --json", HelpName = "i/N" };
        var json = new Option<string>("--json") { Description = "write every run (grid values, effective config, evaluation) as JSON to this file", HelpName = "file" };
        var csv = new Option<string>("--csv") { Description = "write one CSV row per run (grid values, mse, rmse, maxAbsError, r2, steps, time) to this file", HelpName = "file" };
        command.Options.Add(config);
        command.Options.Add(shard);
        command.Options.Add(json);
        command.Options.Add(csv);
        command.Subcommands.Add(SweepMergeCommand.Create());
        command.SetAction(parse => Interruption.Run("the sweep", interruption =>
        {
            var part = parse.GetValue(shard) is { } text ? SweepShard.Parse(text) : null;
            var (jsonPath, csvPath) = (parse.GetValue(json), parse.GetValue(csv));
            if (part is not null && jsonPath is null)
                throw new InputError($"--shard {part} needs --json FILE: `neuralfit sweep merge` combines the shards' JSON files");
            var spec = SweepSpec.FromFile(parse.GetValue(config)!);
            if (part is not null) spec = spec.ForShard(part);
            var roles = new FileRoles();
            roles.Input("--config", parse.GetValue(config)!);
            foreach (var point in spec.Points)
            {
                if (point.Config.Data is not null) roles.Input("the sweep's data", point.Config.Data, Targets.Datasets.Dataset.PathOf(point.Config));
                if (point.Config.Checkpoint is string folder)
                {
                    roles.OutputFolder($"the checkpoint folder of run {point.Index + 1}", folder, [Persistence.Checkpoints.CheckpointFolder.CheckpointFileName, Persistence.Checkpoints.CheckpointFolder.BestModelFileName]);
                    Persistence.Checkpoints.CheckpointFolder.CheckHoldsNoCheckpoint(folder);
                }
            }
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            if (csvPath is not null) roles.Output("--csv", csvPath);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            if (csvPath is not null) AtomicFile.CheckWritable(csvPath);

            Console.WriteLine(Heading(spec));
            interruption.Computing();
            var clock = Stopwatch.StartNew();
            var display = new ProgressDisplay(Verbosity.Normal, unit: "run");
            var runs = display.Run(() => Sweeper.Run(spec, (done, total) =>
                display.Update(new Training.Observers.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)),
                cancel: interruption.Token));
            interruption.ThrowIfStopped();
            double seconds = clock.Elapsed.TotalSeconds;
            var sweep = SweepJson.Build(spec, runs);
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(sweep));
            if (csvPath is not null) staged.Text(csvPath, SweepJson.Csv(sweep));
            staged.Commit(interruption);
            Console.Write(SweepReport.Render(sweep));
            Console.WriteLine($"{Words.Count(runs.Count, "run")} in {seconds:F1} s.");
            return ExitCodes.Success;
        }));
        return command;
    }

    static string Heading(SweepSpec spec)
    {
        string grid = $"Sweeping {string.Join(" × ", spec.Grid.Select(a => $"{a.Key} ({a.Values.Count})"))} = {Words.Count(spec.GridSize, "run")}";
        return spec.Shard is not { } shard
            ? $"{grid} on {Environment.ProcessorCount} cores."
            : spec.Points.Count == 0
                ? $"{grid}; shard {shard} has none of them to run."
                : $"{grid}; shard {shard} runs {spec.Points.Count} of them on {Environment.ProcessorCount} cores.";
    }
}
