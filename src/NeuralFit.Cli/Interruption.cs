using System.Runtime.InteropServices;
using NeuralFit.Persistence;

namespace NeuralFit.Cli;

/// <summary>
/// What SIGINT (Ctrl+C) and SIGTERM do, in every phase of a command:
/// <list type="bullet">
/// <item>while a command sets up (reading its configuration and data, which may be a pipe that never ends): it stops
///   at once, with one line and nothing written;</item>
/// <item>while it computes (<see cref="Computing"/>: training, replays): the first signal asks it to stop; training
///   finishes its current step, and the command then saves what it can (fit: a checkpoint and the best model, its
///   outputs; doctor and seed: the runs that finished, in their journal) or nothing (diagnose, sweep, through
///   <see cref="Run"/>) and exits with 130 and one line;</item>
/// <item>once the computing is over (<see cref="Finishing"/>: evaluating, building a report, writing), and for a
///   second signal at any time: the command stops at once, its outputs staged so far are thrown away, and it exits
///   with 130 and one line, leaving no half-written file or report folder;</item>
/// <item>while the outputs are put in place (<see cref="Commit"/>, a few renames): the signal waits for that to end.</item>
/// </list>
/// </summary>
sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource _cancel = new();
    readonly PosixSignalRegistration[] _registrations;
    readonly Lock _gate = new();
    readonly List<Action> _onAbort = [];
    bool _computing, _committed;

    public Interruption(string what)
    {
        What = what;
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>What the command does, for the line an abort prints: "the run", "the diagnosis".</summary>
    public string What { get; }

    public CancellationToken Token => _cancel.Token;

    /// <summary>"SIGINT" or "SIGTERM", once a signal has arrived.</summary>
    public string? Signal { get; private set; }

    /// <summary>What the line an abort prints says was left (fit: where the checkpoint is); "nothing was written" by default.</summary>
    public Func<string?> AbortDetail { get; set; } = () => null;

    void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // the process ends here, by the command's own hand, never half-way by the signal's
        string name = context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        lock (_gate) // a commit in progress finishes first
        {
            if (_committed) return; // the outputs are in place; the command ends in a moment
            bool first = Signal is null;
            Signal ??= name;
            if (first && _computing)
            {
                _cancel.Cancel();
                return;
            }
            Abort(name);
        }
    }

    /// <summary>Stops the process now: staged outputs removed, one line, exit code 130.</summary>
    void Abort(string signal)
    {
        foreach (var discard in _onAbort)
            try { discard(); } catch (Exception) { } // best effort: the process is ending
        AtomicFile.AbandonWrites(); // and a file being staged as the signal came, not yet among them
        Console.Error.WriteLine($"neuralfit: {signal}: {What} stopped before it finished; {AbortDetail() ?? "nothing was written"}");
        Console.Error.Flush();
        Environment.Exit(ExitCodes.Interrupted);
    }

    /// <summary>The computing starts: from now on a first signal asks it to stop (<see cref="Token"/>) and the command goes on.</summary>
    public void Computing()
    {
        lock (_gate)
        {
            if (Signal is null) _computing = true; // a signal that came while setting up has ended the command already
        }
    }

    /// <summary>The computing is over: from now on a signal stops the command at once.</summary>
    public void Finishing()
    {
        lock (_gate) _computing = false;
    }

    /// <summary>
    /// The computing is over, and it <paramref name="stoppedBySignal"/> or ran to its end. A signal that came while it
    /// ran but too late to stop it (during its last step) stops the command now, as one a moment later would: it is
    /// never lost, whatever the moment it arrived.
    /// </summary>
    public void Finishing(bool stoppedBySignal)
    {
        lock (_gate)
        {
            bool wasComputing = _computing;
            _computing = false;
            if (wasComputing && !stoppedBySignal && !_committed && Signal is string signal) Abort(signal);
        }
    }

    /// <summary>Called when the command aborts, to remove what it staged (a temporary report folder).</summary>
    public void OnAbort(Action discard)
    {
        lock (_gate) _onAbort.Add(discard);
    }

    /// <summary>
    /// Puts the outputs in place; a signal that arrives meanwhile waits until they are. One that arrived before (while
    /// finishing, after a first signal) has already stopped the command.
    /// </summary>
    public void Commit(Action commit)
    {
        lock (_gate)
        {
            commit();
            _committed = true;
        }
    }

    /// <summary>
    /// Runs a command that has nothing to resume: it sets up, calls <see cref="Computing"/>, computes with
    /// <see cref="Token"/>, calls <see cref="ThrowIfStopped"/>, then writes its outputs; when a signal stopped it first,
    /// this says so in one line and returns 130 instead.
    /// </summary>
    public static int Run(string what, Func<Interruption, int> work)
    {
        using var interruption = new Interruption(what);
        try
        {
            return work(interruption);
        }
        catch (OperationCanceledException) when (interruption.Signal is not null)
        {
            Console.Error.WriteLine($"neuralfit: {interruption.Signal}: {what} stopped before it finished; nothing was written");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Between computing and writing: a signal that arrived while computing ends the command here; one that
    /// arrives from now on ends it at once (see <see cref="Finishing"/>).</summary>
    public void ThrowIfStopped()
    {
        Finishing();
        _cancel.Token.ThrowIfCancellationRequested();
    }

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
