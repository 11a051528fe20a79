using System.CommandLine;
using NeuralFit.Cli.Terminal;
using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Reports;
using NeuralFit.Fitting;

namespace NeuralFit.Cli;

/// <summary>
/// The flags for what a training command leaves behind and how much it says: --out (model file), --report
/// (plots and index.html), --quiet, --verbose. Shared by fit, diagnose and doctor so they behave alike.
/// </summary>
sealed class OutputOptions
{
    readonly Option<string> _out = new("--out") { Description = "save the fitted model to this file (JSON; see `neuralfit predict` and `neuralfit export`)", HelpName = "model.json" };
    readonly Option<string> _report = new("--report") { Description = "write plots (PNG and SVG) and index.html into this folder", HelpName = "dir" };
    readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "print only the results (metrics, findings, where files went): no progress, no display lines" };
    readonly Option<bool> _verbose = new("--verbose", "-v") { Description = "also print the problem as set up (network, normaliser, data) and more frequent progress" };
    readonly bool _withModel;

    public OutputOptions(bool withModel = true) => _withModel = withModel;

    public void AddTo(Command command)
    {
        if (_withModel) command.Options.Add(_out);
        command.Options.Add(_report);
        command.Options.Add(_quiet);
        command.Options.Add(_verbose);
    }

    public string? ModelPath(ParseResult parse) => _withModel ? parse.GetValue(_out) : null;
    public string? ReportDirectory(ParseResult parse) => parse.GetValue(_report);

    public Verbosity Verbosity(ParseResult parse)
    {
        bool quiet = parse.GetValue(_quiet), verbose = parse.GetValue(_verbose);
        if (quiet && verbose) throw new InputError("--quiet and --verbose contradict each other; give one");
        return quiet ? Terminal.Verbosity.Quiet : verbose ? Terminal.Verbosity.Verbose : Terminal.Verbosity.Normal;
    }

    /// <summary>Fails before training, not after it, when an output could not be written.</summary>
    public void CheckWritable(ParseResult parse)
    {
        if (ModelPath(parse) is string model) AtomicFile.CheckWritable(model);
        if (ReportDirectory(parse) is string dir) ReportFolder.Check(dir);
    }

    /// <summary>The model file and the report, as asked, staged into <paramref name="outputs"/> (see <see cref="Outputs"/>);
    /// where they went is said also with --quiet: it is part of the results.</summary>
    public void Stage(Outputs outputs, ParseResult parse, FitResult fit, DiagnosisResult? diagnosis)
    {
        if (ModelPath(parse) is string model)
        {
            var saved = fit.ToSavedModel();
            outputs.File(model, stream => ModelFile.Write(saved, stream), $"model saved to {model}");
        }
        if (ReportDirectory(parse) is string dir)
            outputs.Folder(dir, temporary => RunReportWriter.Write(temporary, fit, diagnosis), $"report written to {Path.Combine(Path.GetFullPath(dir), "index.html")}");
    }

    /// <summary>The files and folders these options write, for <see cref="FileRoles"/>.</summary>
    public void Claim(FileRoles roles, ParseResult parse)
    {
        if (ModelPath(parse) is string model) roles.Output("--out", model);
        if (ReportDirectory(parse) is string dir) roles.OutputFolder("--report", dir, ReportFiles);
    }

    /// <summary>The files a run's report folder holds (see RunReportWriter).</summary>
    static readonly string[] ReportFiles =
        ["index.html", .. new[] { "fit", "error", "loss", "live-units", "error-histogram", "regression" }.SelectMany(n => new[] { n + ".png", n + ".svg" })];

    /// <summary>The hooks a training command passes to the run: display lines and progress through the display.</summary>
    public static FitHooks Hooks(ProgressDisplay display, Verbosity verbosity) => new()
    {
        Display = verbosity == Terminal.Verbosity.Quiet ? null : line => display.WriteLine(RunReport.Display(line)),
        Progress = verbosity == Terminal.Verbosity.Quiet ? null : display.Update,
        Extensions = verbosity == Terminal.Verbosity.Verbose ? [new ProblemPrinter(display.WriteLine)] : [],
    };
}
