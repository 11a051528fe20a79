using System.Globalization;
using NeuralFit.Fitting;
using NeuralFit.Training.Observers;
using Spectre.Console.Rendering;
using Spectre.Console;

namespace NeuralFit.Cli.Terminal;

public enum Verbosity { Quiet, Normal, Verbose }

/// <summary>
/// Shows where a long job is. On an interactive terminal: a live bar (step, loss, steps/s, ETA) drawn by
/// Spectre.Console, with the job's own lines printed above it. Redirected: a plain line on stderr now and then
/// (every 10 s, every 2 s with --verbose), so logs stay short. Quiet: nothing.
/// </summary>
sealed class ProgressDisplay
{
    readonly Verbosity _verbosity;
    readonly string _unit;
    readonly IAnsiConsole? _live;
    readonly bool _liveOnStdout;
    readonly Lock _gate = new();
    TrainingProgress? _latest;
    ProgressTask? _task;
    TimeSpan _lastPlain = TimeSpan.Zero;

    /// <param name="unit">What is counted: "step" for training, "run" for replications.</param>
    public ProgressDisplay(Verbosity verbosity, string unit = "step")
    {
        _verbosity = verbosity;
        _unit = unit;
        if (verbosity == Verbosity.Quiet || !TerminalSupportsLiveOutput()) return;
        // The bar goes where the user looks: stdout when it is the terminal, else stderr when that is.
        _liveOnStdout = !Console.IsOutputRedirected;
        if (!_liveOnStdout && Console.IsErrorRedirected) return;
        _live = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(_liveOnStdout ? Console.Out : Console.Error),
            Interactive = InteractionSupport.Yes,
            Ansi = AnsiSupport.Detect,
        });
    }

    public bool IsLive => _live is not null;

    static bool TerminalSupportsLiveOutput() =>
        Environment.GetEnvironmentVariable("TERM") is not "dumb" && Environment.GetEnvironmentVariable("NEURALFIT_NO_PROGRESS") is null;

    /// <summary>Runs the job with the bar shown (when live) and cleared afterwards.</summary>
    public T Run<T>(Func<T> job)
    {
        if (_live is null) return job();
        return _live.Progress()
            .AutoClear(true)
            .AutoRefresh(true)
            // bar and numbers fit in 80 columns, so the line never wraps on a default terminal
            .Columns(new ProgressBarColumn { Width = 16 }, new StatsColumn(this))
            .Start(ctx =>
            {
                _task = ctx.AddTask(_unit, maxValue: 1);
                try { return job(); }
                finally { _task.StopTask(); }
            });
    }

    /// <summary>A line of the job's own output (e.g. a display line): above the bar when live, else on stdout.</summary>
    public void WriteLine(string line)
    {
        if (_live is not null && _liveOnStdout) _live.WriteLine(line, Style.Plain);
        else Console.WriteLine(line);
    }

    public void Update(TrainingProgress p)
    {
        if (_verbosity == Verbosity.Quiet) return;
        lock (_gate) _latest = p;
        if (_task is not null)
        {
            _task.MaxValue = Math.Max(1, p.TotalSteps);
            _task.Value = p.Step;
            return;
        }
        if (_live is not null) return;
        var every = TimeSpan.FromSeconds(_verbosity == Verbosity.Verbose ? 2 : 10);
        if (p.Step < p.TotalSteps && p.Elapsed - _lastPlain < every) return;
        if (p.Step >= p.TotalSteps && p.Elapsed < every) return; // a short job needs no progress report
        _lastPlain = p.Elapsed;
        Console.Error.WriteLine($"progress: {Describe(p, _unit)}");
    }

    /// <summary>"step 1,200/5,000  loss 1.23e-03  2,345 steps/s  ETA 0:02", after the stage of a fit that grows ("stage 2 (1-96-1) step …").</summary>
    public static string Describe(TrainingProgress p, string unit)
    {
        var inv = CultureInfo.InvariantCulture;
        var s = (p.Stage is { } stage ? stage + " " : "") + string.Create(inv, $"{unit} {p.Step:N0}/{p.TotalSteps:N0}");
        if (double.IsFinite(p.Loss)) s += string.Create(inv, $"  loss {p.Loss:0.00e+00}");
        if (p.StepsPerSecond > 0)
        {
            s += string.Create(inv, $"  {(p.StepsPerSecond >= 10 ? p.StepsPerSecond.ToString("N0", inv) : p.StepsPerSecond.ToString("0.0#", inv))} {unit}s/s");
            s += $"  ETA {Clock(TimeSpan.FromSeconds(Math.Max(0, p.TotalSteps - p.Step) / p.StepsPerSecond))}";
        }
        return s;
    }

    static string Clock(TimeSpan t) => t.TotalHours >= 1
        ? $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}"
        : $"{t.Minutes}:{t.Seconds:00}";

    /// <summary>The text after the bar, from the latest progress report.</summary>
    sealed class StatsColumn(ProgressDisplay owner) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            TrainingProgress? p;
            lock (owner._gate) p = owner._latest;
            return new Text(p is null ? "starting" : Describe(p, owner._unit));
        }
    }
}
