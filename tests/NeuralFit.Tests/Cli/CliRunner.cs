using System.Diagnostics;

namespace NeuralFit.Tests.Cli;

/// <summary>Runs the built `neuralfit` command as a separate process, the way a user does.</summary>
static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr)
    {
        public string All => Stdout + Stderr;
    }

    public static Outcome Run(params string[] args) => RunIn(null, args);

    public static Outcome RunIn(string? workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    /// <summary>Runs with <paramref name="feed"/> writing the command's standard input (until it returns, or the command
    /// stops reading), as `yes | neuralfit …` does.</summary>
    public static Outcome RunWithInput(string? workingDirectory, Action<Stream>? feed, params string[] args) =>
        RunCore(workingDirectory, feed, null, args);

    /// <summary>Runs with these environment variables set (besides the test's own), as `NAME=value neuralfit …` does.</summary>
    public static Outcome RunWithEnvironment(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunCore(null, null, environment, args);

    static Outcome RunCore(string? workingDirectory, Action<Stream>? feed, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = feed is not null,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuralFit.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("NEURALFIT_DEBUG");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (feed is not null)
            Task.Run(() =>
            {
                try { using var input = process.StandardInput.BaseStream; feed(input); }
                catch (IOException) { } // the command stopped reading: the pipe is closed
            });
        if (!process.WaitForExit(CliProcess.Patience))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"neuralfit {string.Join(' ', args)} did not finish");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Bad input: exit code 2, one line on stderr, no stack trace.</summary>
    public static void AssertCleanError(Outcome o, string mustMention)
    {
        Assert.True(o.ExitCode == 2, $"exit code {o.ExitCode}, expected 2; stderr: {o.Stderr}");
        Assert.DoesNotContain("   at ", o.All);
        Assert.DoesNotContain("Unhandled exception", o.All);
        var lines = o.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line on stderr, got {lines.Length}: {o.Stderr}");
        Assert.Contains(mustMention, o.Stderr, StringComparison.OrdinalIgnoreCase);
    }
}
