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
            var roles = new FileRoles();
            foreach (var path in parse.GetValue(shards) ?? [])
                if (!Directory.Exists(path)) roles.Input("a shard", path);
                else
                    try { foreach (var file in Directory.EnumerateFiles(path, "*.json")) roles.Input("a shard", file); }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // the merge says why it cannot read it
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            if (csvPath is not null) roles.Output("--csv", csvPath);
            roles.Check(); // the merged file must not replace a shard it is made of
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            if (csvPath is not null) AtomicFile.CheckWritable(csvPath);
            var sweep = SweepMerge.Files(parse.GetValue(shards) ?? []);
            using var staged = new Outputs(null);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(sweep));
            if (csvPath is not null) staged.Text(csvPath, SweepJson.Csv(sweep));
            staged.Commit(null);
            Console.Write(SweepReport.Render(sweep));
            Console.WriteLine($"{Words.Count(sweep["runs"]!.AsArray().Count, "run")} merged.");
            return ExitCodes.Success;
        });
        return command;
    }
}
