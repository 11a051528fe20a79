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
        var seeds = NumberOptions.Create("--seeds", "runs per variant (seeds 1..N)", 5, "N");
        var json = new Option<string>("--json") { Description = "write the replication table as JSON to this file", HelpName = "file" };
        var outputs = new OutputOptions(withModel: false);
        var journals = new Journals();
        command.Options.Add(seeds);
        command.Options.Add(json);
        journals.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(parse => Interruption.Run("the replication", interruption =>
        {
            int n = NumberOptions.Count(parse, seeds, 5, 1, 100);
            var jsonPath = parse.GetValue(json);
            var roles = new FileRoles();
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            if (outputs.ReportDirectory(parse) is string reportFolder) roles.OutputFolder("--report", reportFolder, ["index.html"]);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);
            var reportDir = outputs.ReportDirectory(parse);
            var variants = QuestionVariants.All(QuestionVariants.Recommended());
            var journal = journals.Open<ReplicaRun>(parse, "seed", string.Join("|", variants.Select(v => Diagnostics.RunKey.Of(v.Config))),
                ReplicationJson.Run, ReplicationJson.ReadRun);

            interruption.Computing();
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
            interruption.Finishing(); // the runs are over (or kept in the journal): a signal from here on ends the command at once
            int finished = summaries.Sum(s => s.Runs.Count);
            if (interruption.Signal is not null)
            {
                Console.Write(ReplicationReport.Render(summaries));
                Console.Error.WriteLine(journal is null || journal.WriteFailure is not null
                    ? $"neuralfit: {interruption.Signal}: the replication stopped after {finished} of {variants.Count * n} runs; they could not be kept ({journal?.WriteFailure ?? "no folder for them"})"
                    : $"neuralfit: {interruption.Signal}: the replication stopped after {finished} of {variants.Count * n} runs; they are kept in {journal.FilePath}; run the same command again to go on from them");
                return ExitCodes.Interrupted;
            }
            double seconds = clock.Elapsed.TotalSeconds;
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(ReplicationJson.Build(summaries, n)));
            if (reportDir is not null)
                staged.Folder(reportDir, temporary => ReplicationReportWriter.Write(temporary, summaries),
                    $"report written to {Path.Combine(Path.GetFullPath(reportDir), "index.html")}");
            var lines = staged.Commit(interruption);
            Console.Write(ReplicationReport.Render(summaries));
            Console.WriteLine($"{variants.Count * n} runs in {seconds:F1} s.");
            foreach (var line in lines) Console.WriteLine(line);
            journal?.Complete();
            return ExitCodes.Success;
        }));
        return command;
    }
}
