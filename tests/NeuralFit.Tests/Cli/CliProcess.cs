using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace NeuralFit.Tests.Cli;

/// <summary>A `neuralfit` process running in the background, to be signalled or killed while it trains.</summary>
sealed class CliProcess : IDisposable
{
    readonly Process _process;
    readonly StringBuilder _stdout = new(), _stderr = new();
    readonly Thread _stdoutReader, _stderrReader;

    // The output is read by threads of its own, not by Process's asynchronous readers: those run on the thread pool,
    // which a full test run keeps busy for long enough that a process that had ended looked as if it never did.
    CliProcess(Process process)
    {
        _process = process;
        _stdoutReader = Reader(process.StandardOutput, _stdout);
        _stderrReader = Reader(process.StandardError, _stderr);
    }

    static Thread Reader(StreamReader stream, StringBuilder text)
    {
        var thread = new Thread(() =>
        {
            while (stream.ReadLine() is { } line)
                lock (text) text.Append(line).Append('\n');
        }) { IsBackground = true };
        thread.Start();
        return thread;
    }

    /// <summary>What the process has written to stdout so far.</summary>
    public string StdoutSoFar
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public static CliProcess Start(string workingDirectory, params string[] args)
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
        return Start(start);
    }

    /// <summary>Any process (a shell running neuralfit, say), its output redirected.</summary>
    public static CliProcess Start(ProcessStartInfo start) => new(Process.Start(start)!);

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a POSIX signal (2 SIGINT, 15 SIGTERM), as Ctrl+C or a service manager would.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>kill -9: no chance to clean up.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: false);

    public CliRunner.Outcome WaitForExit(TimeSpan timeout)
    {
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
        _process.Dispose();
    }

    [DllImport("libc", SetLastError = true)]
    static extern int kill(int pid, int sig);
}
