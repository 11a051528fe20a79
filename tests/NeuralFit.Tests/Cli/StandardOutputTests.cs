using System.Diagnostics;
using NeuralFit.Tests.Security;

namespace NeuralFit.Tests.Cli;

/// <summary>A standard output that fails (full, closed) costs the printed lines only: the files are written, and the
/// failure is one line on stderr.</summary>
public class StandardOutputTests
{
    static CliRunner.Outcome RunWithStdout(string dir, string redirection, params string[] args)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardError = true, WorkingDirectory = dir };
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" " + redirection);
        start.ArgumentList.Add(dotnet);
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "NeuralFit.Cli.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment.Remove("NEURALFIT_DEBUG");
        using var p = Process.Start(start)!;
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(CliProcess.Patience)) { p.Kill(true); throw new TimeoutException($"neuralfit {string.Join(' ', args)} {redirection} did not finish"); }
        return new CliRunner.Outcome(p.ExitCode, "", stderr.Result);
    }

    static readonly string[] Fit = ["fit", "--target", "x", "--domain", "0:1", "--steps", "3", "--json", "result.json", "--out", "model.json"];

    [Fact]
    public void AClosedStandardOutputStillGetsTheFilesWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-stdout-").FullName;
        var o = RunWithStdout(dir, ">&-", Fit);
        CliRunner.AssertCleanError(o, "neuralfit: cannot write to standard output");
        Assert.True(File.Exists(Path.Combine(dir, "result.json")) && File.Exists(Path.Combine(dir, "model.json")));
    }

    [Fact]
    public void AFullStandardOutputStillGetsTheFilesWritten()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-stdout-").FullName;
        if (!SpecialFiles.TryMakeCharacterDevice(Path.Combine(dir, "full"), 1, 7)) return; // not root
        var o = RunWithStdout(dir, ">full", Fit);
        CliRunner.AssertCleanError(o, "neuralfit: cannot write to standard output (No space left on device)");
        Assert.True(File.Exists(Path.Combine(dir, "result.json")) && File.Exists(Path.Combine(dir, "model.json")));
    }

    /// <summary>Reporting bad input to a closed or full standard error once aborted the process (exit code 134).</summary>
    [Theory]
    [InlineData("2>&-")]
    [InlineData("2>&- >&-")]
    public void AClosedStandardErrorStillGivesTheExitCode(string redirection)
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-stdout-").FullName;
        Assert.Equal(2, RunWithStdout(dir, redirection, "fit", "--target", "ln(x", "--domain", "0:1").ExitCode);
        Assert.Equal(0, RunWithStdout(dir, "2>&-", "fit", "--target", "x", "--steps", "3", "--json", "result.json").ExitCode);
        Assert.True(File.Exists(Path.Combine(dir, "result.json")));
    }
}
