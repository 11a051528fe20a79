using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using NeuralFit.Cli.Terminal;
using NeuralFit.Persistence;
using NeuralFit.Question;
using NeuralFit.Results;
using NeuralFit.Reports;

namespace NeuralFit.Cli.Commands;

/// <summary>`neuralfit seed`: the ln(x) question and every answer, replicated over several seeds.</summary>
static class SeedCommand
{
    public static Command Create()
    {
        var command = new Command("seed", "Replicate the ln(x) question and every answer's fix over several seeds, and check each claim.");
        var seeds = NumberOptions.Create("--seeds", "runs per variant (seeds 1..N)", 5, "N");
        var json = new Option<string>("--json") { Description = "write the replication table as JSON to this file", HelpName = "file" };
        var outputs = new OutputOptions(withModel: false);
        command.Options.Add(seeds);
        command.Options.Add(json);
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

            interruption.Computing();
            var variants = QuestionVariants.All(QuestionVariants.Recommended());
            if (verbosity != Verbosity.Quiet)
                Console.WriteLine($"Replicating the ln(x) question: {variants.Count} variants × {n} seeds on {Environment.ProcessorCount} cores; success = grid MSE ≤ 1e-4 on [0.01, 1].");
            var clock = Stopwatch.StartNew();
            var display = new ProgressDisplay(verbosity, unit: "run");
            var curves = reportDir is null ? null : new ReplicationCurves();
            void OnRun(int v, ulong seed, Diagnostics.DiagnosisResult d)
            {
                curves?.Add(v, seed, d);
                if (verbosity == Verbosity.Verbose)
                    display.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {variants[v].Name}, seed {seed}: grid MSE {d.Fit.Evaluation.Mse:G3} in {d.Fit.WallSeconds:F2} s{(d.CauseChain.Count > 0 ? "; " + string.Join(" → ", d.CauseChain.Select(c => c.Code)) : "")}"));
            }
            var summaries = display.Run(() => Replicator.Run(variants, n,
                (done, total) => display.Update(new Training.Observers.TrainingProgress(done, total, double.NaN, done / clock.Elapsed.TotalSeconds, clock.Elapsed)),
                cancel: interruption.Token, onRun: OnRun));
            interruption.ThrowIfStopped();
            double seconds = clock.Elapsed.TotalSeconds;
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(ReplicationJson.Build(summaries, n)));
            if (reportDir is not null)
                staged.Folder(reportDir, temporary => ReplicationReportWriter.Write(temporary, summaries, curves!),
                    verbosity != Verbosity.Quiet ? $"report written to {Path.Combine(Path.GetFullPath(reportDir), "index.html")}" : null);
            var lines = staged.Commit(interruption);
            Console.Write(ReplicationReport.Render(summaries));
            Console.WriteLine($"{variants.Count * n} runs in {seconds:F1} s.");
            foreach (var line in lines) Console.WriteLine(line);
            return ExitCodes.Success;
        }));
        return command;
    }
}
