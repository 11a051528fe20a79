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
        command.SetAction(parse =>
        {
            var part = parse.GetValue(shard) is { } text ? SweepShard.Parse(text) : null;
            var (jsonPath, csvPath) = (parse.GetValue(json), parse.GetValue(csv));
            if (part is not null && jsonPath is null)
                throw new InputError($"--shard {part} needs --json FILE: `neuralfit sweep merge` combines the shards' JSON files");
            var spec = SweepSpec.FromFile(parse.GetValue(config)!);
            if (part is not null) spec = spec.ForShard(part);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            if (csvPath is not null) AtomicFile.CheckWritable(csvPath);

            Console.WriteLine(Heading(spec));
            return Interruption.Run("the sweep", interruption =>
            {
                var clock = Stopwatch.StartNew();
                var display = new ProgressDisplay(Verbosity.Normal, unit: "run");
                var runs = display.Run(() => Sweeper.Run(spec, (done, total) =>
                    display.Update(new Training.Observers.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)),
                    cancel: interruption.Token));
                interruption.ThrowIfStopped();
                var sweep = SweepJson.Build(spec, runs);
                Console.Write(SweepReport.Render(sweep));
                Console.WriteLine($"{Words.Count(runs.Count, "run")} in {clock.Elapsed.TotalSeconds:F1} s.");
                if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(sweep));
                if (csvPath is not null) AtomicFile.WriteAllText(csvPath, SweepJson.Csv(sweep));
                return ExitCodes.Success;
            });
        });
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
