using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Results;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit sweep merge`: the shards' JSON files combined into the results of the whole sweep.</summary>
static class SweepMergeCommand
{
    public static Command Create()
    {
        var command = new Command("merge", """
            Combine the JSON files of a sweep's shards (`neuralfit sweep --shard i/N --json FILE` on each machine) into
            the results of the whole sweep: the table, JSON and CSV that one machine running it all would have written.
            Give the shards' files, or folders that hold them (their *.json files that are shards are read). Every shard
            from 1 to N must be there once, all of one sweep (the same base, grid and N).
            """);
        var shards = new Argument<string[]>("shards") { Description = "the shards' JSON files, or folders that hold them", HelpName = "dir|file", Arity = ArgumentArity.OneOrMore };
        var json = new Option<string>("--json") { Description = "write the whole sweep's JSON (as sweep --json does) to this file", HelpName = "file" };
        var csv = new Option<string>("--csv") { Description = "write the whole sweep's CSV (as sweep --csv does) to this file", HelpName = "file" };
        command.Arguments.Add(shards);
        command.Options.Add(json);
        command.Options.Add(csv);
        command.SetAction(parse =>
        {
            var (jsonPath, csvPath) = (parse.GetValue(json), parse.GetValue(csv));
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            if (csvPath is not null) AtomicFile.CheckWritable(csvPath);
            var sweep = SweepMerge.Files(parse.GetValue(shards) ?? []);
            Console.Write(SweepReport.Render(sweep));
            Console.WriteLine($"{Words.Count(sweep["runs"]!.AsArray().Count, "run")} merged.");
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(sweep));
            if (csvPath is not null) AtomicFile.WriteAllText(csvPath, SweepJson.Csv(sweep));
            return ExitCodes.Success;
        });
        return command;
    }
}
