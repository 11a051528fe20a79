using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Question;
using NeuralFit.Results;
using NeuralFit.Reports;

namespace NeuralFit.Cli.Commands;

/// <summary>
/// `neuralfit seed`: the ln(x) question and every answer, replicated over several seeds. Every finished run goes to a
/// journal (<see cref="Journals"/>) as it finishes; a signal stops the runs, prints the table of those that finished
/// and exits 130, and the same command run again goes on from the journal without training them again.
/// </summary>
static class SeedCommand
{
    public static Command Create()
    {
        var command = new Command("seed", "Replicate the ln(x) question and every answer's fix over several seeds, and check each claim.");
        var seeds = new Option<int>("--seeds") { Description = "runs per variant (seeds 1..N)", DefaultValueFactory = _ => 5, HelpName = "N" };
        var json = new Option<string>("--json") { Description = "write the replication table as JSON to this file", HelpName = "file" };
        var outputs = new OutputOptions(withModel: false);
        var journals = new Journals();
        command.Options.Add(seeds);
        command.Options.Add(json);
        journals.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            int n = parse.GetValue(seeds);
            if (n < 1 || n > 100) throw new InputError($"--seeds: must be between 1 and 100, got {n}");
            var jsonPath = parse.GetValue(json);
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);
            var reportDir = outputs.ReportDirectory(parse);
            var variants = QuestionVariants.All(QuestionVariants.Recommended());
            var journal = journals.Open<ReplicaRun>(parse, "seed", string.Join("|", variants.Select(v => Diagnostics.RunKey.Of(v.Config))),
                ReplicationJson.Run, ReplicationJson.ReadRun);

            return Interruption.Run("the replication", interruption =>
            {
                if (verbosity != Verbosity.Quiet)
                {
                    Console.WriteLine($"Replicating the ln(x) question: {variants.Count} variants × {n} seeds on {Environment.ProcessorCount} cores; each claim is checked by its own words and at grid MSE ≤ 1e-4 on [0.01, 1].");
                    if (journal?.Recalled > 0) Console.WriteLine($"Going on from {Words.Count(journal.Recalled, "run")} that finished before the last stop ({journal.FilePath}).");
                }
                var clock = Stopwatch.StartNew();
                var display = new ProgressDisplay(verbosity, unit: "run");
                void OnRun(int v, ReplicaRun run, bool recalled)
                {
                    if (verbosity == Verbosity.Verbose)
                        display.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name}, seed {run.Seed}: grid MSE {run.Mse:G3} in {run.WallSeconds:F2} s{(recalled ? " (read back from the journal)" : "")}{(run.CauseChain.Count > 0 ? "; " + string.Join(" → ", run.CauseChain) : "")}"));
                }
                var summaries = display.Run(() => Replicator.Run(variants, n,
                    (done, total) => display.Update(new Training.Observers.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)),
                    cancel: interruption.Token, onRun: OnRun, journal: journal));
                int finished = summaries.Sum(s => s.Runs.Count);
                Console.Write(ReplicationReport.Render(summaries));
                if (interruption.Signal is not null)
                {
                    Console.Error.WriteLine(journal is null || journal.WriteFailure is not null
                        ? $"neuralfit: {interruption.Signal}: the replication stopped after {finished} of {variants.Count * n} runs; they could not be kept ({journal?.WriteFailure ?? "no folder for them"})"
                        : $"neuralfit: {interruption.Signal}: the replication stopped after {finished} of {variants.Count * n} runs; they are kept in {journal.FilePath}; run the same command again to go on from them");
                    return ExitCodes.Interrupted;
                }
                Console.WriteLine($"{variants.Count * n} runs in {clock.Elapsed.TotalSeconds:F1} s.");
                if (jsonPath is not null) AtomicFile.WriteAllText(jsonPath, ResultJson.ToText(ReplicationJson.Build(summaries, n)));
                if (reportDir is not null)
                {
                    var index = ReplicationReportWriter.Write(reportDir, summaries);
                    Console.WriteLine($"report written to {index}");
                }
                journal?.Complete();
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
