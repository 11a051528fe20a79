using System.Runtime.InteropServices;

namespace NeuralFit.Cli;

/// <summary>
/// Turns the first SIGINT (Ctrl+C) or SIGTERM into a request to stop: training finishes its current step, the run
/// saves a checkpoint and the best model so far, and the command exits with 130. The other commands go through
/// <see cref="Run"/>: diagnose and sweep stop their runs, write nothing and exit with 130; doctor and seed keep the runs
/// that finished in their journal, print them and exit with 130 themselves. A second signal is not caught, so it ends
/// the process at once, for a user who will not wait.
/// </summary>
sealed class Interruption : IDisposable
{
    readonly CancellationTokenSource _cancel = new();
    readonly PosixSignalRegistration[] _registrations;

    public Interruption()
    {
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    public CancellationToken Token => _cancel.Token;

    /// <summary>"SIGINT" or "SIGTERM", once a signal has arrived.</summary>
    public string? Signal { get; private set; }

    void Handle(PosixSignalContext context)
    {
        if (Signal is not null) return; // the second signal: let it end the process
        Signal = context.Signal == PosixSignal.SIGINT ? "SIGINT" : "SIGTERM";
        context.Cancel = true;
        _cancel.Cancel();
    }

    /// <summary>
    /// Runs a command's work with the token. The work computes, calls <see cref="ThrowIfStopped"/>, then writes its
    /// outputs; when a signal stopped it first, this says so in one line and returns 130 instead.
    /// </summary>
    public static int Run(string what, Func<Interruption, int> work)
    {
        using var interruption = new Interruption();
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

    /// <summary>Between computing and writing: a signal that arrived while computing ends the command here.</summary>
    public void ThrowIfStopped() => _cancel.Token.ThrowIfCancellationRequested();

    public void Dispose()
    {
        foreach (var r in _registrations) r.Dispose();
        _cancel.Dispose();
    }
}
