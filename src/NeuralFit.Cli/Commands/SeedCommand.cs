using System.CommandLine;
using System.Diagnostics;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Replication;
using NeuralFit.Reporting;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit seed`: the ln(x) question and every answer, replicated over several seeds.</summary>
static class SeedCommand
{
    public static Command Create()
    {
        var command = new Command("seed", "Replicate the ln(x) question and every answer's fix over several seeds, and check each claim.");
        var seeds = new Option<int>("--seeds") { Description = "runs per variant (seeds 1..N)", DefaultValueFactory = _ => 5, HelpName = "N" };
        var json = new Option<string>("--json") { Description = "write the replication table as JSON to this file", HelpName = "file" };
        command.Options.Add(seeds);
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(seeds);
            if (n < 1 || n > 100) throw new InputError($"--seeds: must be between 1 and 100, got {n}");
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);

            var variants = QuestionVariants.All(QuestionVariants.Recommended());
            Console.WriteLine($"Replicating the ln(x) question: {variants.Count} variants × {n} seeds on {Environment.ProcessorCount} cores; success = grid MSE ≤ 1e-4 on [0.01, 1].");
            var clock = Stopwatch.StartNew();
            using var progress = new ProgressLine();
            var summaries = Replicator.Run(variants, n, (done, total) => progress.Update(new Runs.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)));
            progress.Clear();
            Console.Write(ReplicationReport.Render(summaries));
            Console.WriteLine($"{variants.Count * n} runs in {clock.Elapsed.TotalSeconds:F1} s.");
            if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(ReplicationJson.Build(summaries, n)));
            return ExitCodes.Success;
        });
        return command;
    }
}
