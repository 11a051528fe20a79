using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// A `neuralfit` process running in the background, to be signalled or killed while it trains.
/// <para>
/// Tests that signal a run wait for what the run shows (a line of output, a checkpoint file, a lock), never for a
/// length of time, and give it far more work than it can do before the signal (a signal ends it anyway); a run that
/// must end at a given step is held instead (<see cref="StartHeld"/>). Their timeouts only matter when something is
/// broken: a loaded machine is slow, never that slow.
/// </para>
/// </summary>
sealed class CliProcess : IDisposable
{
    /// <summary>How long a test waits for a state a working command reaches in well under a second on an idle machine:
    /// minutes, so that only a command that never gets there fails, however loaded the machine.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    readonly Process _process;
    readonly StringBuilder _stdout = new(), _stderr = new();
    readonly Thread _stdoutReader, _stderrReader;
    readonly ManualResetEventSlim _stdoutOpen;

    // The output is read by threads of its own, not by Process's asynchronous readers: those run on the thread pool,
    // which a full test run keeps busy for long enough that a process that had ended looked as if it never did.
    CliProcess(Process process, string? holdAt)
    {
        _process = process;
        _stdoutOpen = new ManualResetEventSlim(initialState: holdAt is null);
        _stdoutReader = Reader(process.StandardOutput, _stdout, holdAt, _stdoutOpen);
        _stderrReader = Reader(process.StandardError, _stderr, null, null);
    }

    static Thread Reader(StreamReader stream, StringBuilder text, string? holdAt, ManualResetEventSlim? open)
    {
        var thread = new Thread(() =>
        {
            while (stream.ReadLine() is { } line)
            {
                lock (text) text.Append(line).Append('\n');
                if (holdAt is not null && line.Contains(holdAt, StringComparison.Ordinal)) open!.Wait();
            }
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>What the process has written to stdout so far.</summary>
    public string StdoutSoFar
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public static CliProcess Start(string workingDirectory, params string[] args) => Launch(workingDirectory, null, args);

    /// <summary>
    /// Starts the command and reads its standard output up to the first line that contains <paramref name="holdAt"/>,
    /// then no more until <see cref="ReleaseStdout"/>. Once the pipe is full (64 KiB on Linux) the command's next write
    /// waits, so a run that prints more than that after the line (a display line every step) cannot finish while
    /// held, however fast the machine. A signal sent meanwhile is taken as it arrives, and the run stops at the step it
    /// was held at once released: a run of a fixed number of steps is interrupted for certain.
    /// </summary>
    public static CliProcess StartHeld(string workingDirectory, string holdAt, params string[] args) => Launch(workingDirectory, holdAt, args);

    static CliProcess Launch(string workingDirectory, string? holdAt, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuralFit.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("NEURALFIT_DEBUG");
        return new CliProcess(Process.Start(start)!, holdAt);
    }

    /// <summary>Any process (a shell running neuralfit, say), its output redirected.</summary>
    public static CliProcess Start(ProcessStartInfo start) => new(Process.Start(start)!, holdAt: null);

    /// <summary>Reads standard output again (see <see cref="StartHeld"/>), and the command goes on.</summary>
    public void ReleaseStdout() => _stdoutOpen.Set();

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a POSIX signal (2 SIGINT, 15 SIGTERM), as Ctrl+C or a service manager would.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>
    /// Whether the process has <paramref name="path"/> open, as Linux's /proc shows its open files. Where there is no
    /// /proc, it tells so after a second: the best a test can do there is wait.
    /// </summary>
    public bool HasOpen(string path)
    {
        string fds = $"/proc/{_process.Id}/fd";
        if (!Directory.Exists("/proc/self/fd")) { Thread.Sleep(1000); return true; }
        try
        {
            string wanted = Path.GetFullPath(path);
            return Directory.EnumerateFileSystemEntries(fds).Any(fd => new FileInfo(fd).LinkTarget == wanted);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; } // not yet, or just ended
    }

    /// <summary>kill -9: no chance to clean up.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    /// <summary>What the process has written so far, for a failing assertion's message.</summary>
    public string OutputSoFar
    {
        get { lock (_stdout) lock (_stderr) return $"stdout so far:\n{_stdout}\nstderr so far:\n{_stderr}"; }
    }

    public CliRunner.Outcome WaitForExit() => WaitForExit(Patience);

    public CliRunner.Outcome WaitForExit(TimeSpan timeout)
    {
        ReleaseStdout(); // a held process cannot end while its output is not read
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            lock (_stdout) lock (_stderr)
                throw new TimeoutException($"neuralfit did not finish; stdout so far:\n{_stdout}\nstderr so far:\n{_stderr}");
        }
        _stdoutReader.Join(TimeSpan.FromSeconds(30)); // and for the last lines of output
        _stderrReader.Join(TimeSpan.FromSeconds(30));
        lock (_stdout) lock (_stderr) return new CliRunner.Outcome(_process.ExitCode, _stdout.ToString(), _stderr.ToString());
    }

    /// <summary>Waits until <paramref name="condition"/> holds; fails the test, with the output so far, when the process
    /// ends first or <see cref="Patience"/> runs out.</summary>
    public void AwaitState(Func<bool> condition, string what)
    {
        if (!WaitUntil(condition, Patience))
            Assert.Fail($"{what}: {(_process.HasExited ? $"the command ended first (exit code {_process.ExitCode})" : $"not within {Patience.TotalMinutes} minutes")}\n{OutputSoFar}");
    }

    /// <summary>Waits until standard output has a line that contains <paramref name="text"/>.</summary>
    public void AwaitStdout(string text) => AwaitState(() => StdoutSoFar.Contains(text, StringComparison.Ordinal), $"no line with '{text}' on stdout");

    /// <summary>Waits until <paramref name="condition"/> holds or the process ends.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (_process.HasExited || clock.Elapsed > timeout) return false;
            Thread.Sleep(5);
        }
        return true;
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _stdoutOpen.Set(); // lets a held reader see the end of the output and finish
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
