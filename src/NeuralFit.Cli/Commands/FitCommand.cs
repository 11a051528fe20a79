using System.CommandLine;
using System.Numerics;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Results;
using NeuralFit.Fitting;
using NeuralFit.Training;

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
        var resume = new Option<string>("--resume") { Description = "continue the run whose checkpoint is in this folder; --steps may raise its steps", HelpName = "folder" };
        var outputs = new OutputOptions();
        command.Options.Add(json);
        command.Options.Add(resume);
        outputs.AddTo(command);
        command.SetAction(parse =>
        {
            // First, so that a signal at any point ends the command in one line: at once while it sets up (reading data
            // that may be a pipe that never ends), with a resumable checkpoint while it trains, at once after that.
            using var interruption = new Interruption("the run");
            var (run, checkpoints) = FitSetup.Read(parse, config, parse.GetValue(resume), interruption);
            using var release = checkpoints; // the checkpoint folder's lock, whatever happens
            interruption.OnAbort(checkpoints.Dispose);
            var jsonPath = parse.GetValue(json);
            var roles = new FileRoles();
            config.Claim(roles, parse, run);
            // a resumed run reads its folder and, unless --checkpoint moves it elsewhere, goes on writing there
            var resumeFolder = parse.GetValue(resume);
            bool continuesInPlace = resumeFolder is not null && run.Checkpoint is string c && FileRoles.Resolve(c) == FileRoles.Resolve(resumeFolder);
            if (resumeFolder is not null && !continuesInPlace) roles.InputFolder("--resume", resumeFolder, CheckpointFiles);
            if (run.Checkpoint is string ck) roles.OutputFolder(continuesInPlace ? "--resume" : "--checkpoint", ck, CheckpointFiles);
            if (jsonPath is not null) roles.Output("--json", jsonPath);
            outputs.Claim(roles, parse);
            roles.Check();
            if (jsonPath is not null) AtomicFile.CheckWritable(jsonPath);
            outputs.CheckWritable(parse);
            var verbosity = outputs.Verbosity(parse);
            interruption.AbortDetail = () => checkpoints.LastFolder is { } f && checkpoints.LastStep is int step
                ? $"its outputs were not written; the checkpoint of step {step:N0} is in {FitSetup.Quote(f)}; resume with: neuralfit fit --resume {FitSetup.Quote(f)}" : null;

            var display = new ProgressDisplay(verbosity);
            if (verbosity == Verbosity.Verbose && run.Data is not null) display.WriteLine(ProblemPrinter.ReadData(run));
            var hooks = OutputOptions.Hooks(display, verbosity);
            hooks = hooks with { Extensions = [.. hooks.Extensions, checkpoints, new UseCores(Environment.ProcessorCount), new TrainingPhase(interruption)] };
            var (result, diagnosis) = display.Run(() => Train(run, hooks, withProbes: outputs.ReportDirectory(parse) is not null && run.OutputCount == 1, interruption.Token));

            interruption.Finishing();
            using var staged = new Outputs(interruption);
            if (jsonPath is not null) staged.Text(jsonPath, ResultJson.ToText(ResultJson.Build(result)));
            outputs.Stage(staged, parse, result, diagnosis);
            var lines = staged.Commit(interruption);

            Console.Write(RunReport.Summary(result));
            foreach (var line in lines) Console.WriteLine(line);
            if (result.StopReason == StopReason.Cancelled)
            {
                Console.Error.WriteLine($"neuralfit: {FitSetup.InterruptedLine(interruption.Signal ?? "a signal", result, checkpoints)}");
                return ExitCodes.Interrupted;
            }
            foreach (var failure in checkpoints.Failures) Console.Error.WriteLine($"neuralfit: warning: a checkpoint was not written: {failure}");
            return result.MissedGoal ? ExitCodes.GoalMissed : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The files of a checkpoint folder, which no other output may be.</summary>
    static readonly string[] CheckpointFiles =
        [Persistence.Checkpoints.CheckpointFolder.CheckpointFileName, Persistence.Checkpoints.CheckpointFolder.BestModelFileName, Persistence.Checkpoints.CheckpointLock.FileName];

    /// <summary>
    /// A report shows each layer's live units over the steps, which only the probes measure. They read the network
    /// without changing it, so the run's numbers are the same with or without them. They judge one output: a run of
    /// several is reported without them.
    /// </summary>
    static (FitResult, DiagnosisResult?) Train(Configuration.RunConfig run, FitHooks hooks, bool withProbes, CancellationToken cancel)
    {
        if (!withProbes) return (FitRunner.Run(run, hooks, cancel), null);
        var diagnosis = Diagnoser.Run(run, hooks with { Grow = true }, cancel); // the report shows the fit as fit makes it
        return (diagnosis.Fit, diagnosis);
    }

    /// <summary>
    /// While training runs, a signal asks it to stop after the current step (and the run is saved); before it (setting
    /// up) and after it (its last checkpoint written: evaluation, report), a signal stops the command at once.
    /// </summary>
    sealed class TrainingPhase(Interruption interruption) : IRunExtension
    {
        public void Attach<T>(RunContext<T> run) where T : unmanaged, IFloatingPointIeee754<T> => run.Observers.Add(new Observer<T>(interruption));

        sealed class Observer<T>(Interruption interruption) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
        {
            public void OnStart(IRunState<T> s) => interruption.Computing();
            public void AfterStep(IRunState<T> s, double loss) { }
            public void OnEnd(IRunState<T> s) => interruption.Finishing(stoppedBySignal: s.StopReason == StopReason.Cancelled);
        }
    }
}
