using System.Diagnostics;

namespace NeuralFit.Tests.Cli;

/// <summary>A live bar on a terminal, plain output when redirected, and what --quiet and --verbose change.</summary>
public class ProgressTests
{
    [Fact]
    public void RedirectedOutputHasNoTerminalCodesAndQuietHasNoDisplayLines()
    {
        // Adam: left to NeuralFit, lm reaches its loss goal before step 200
        var normal = CliRunner.Run("fit", "--target", "ln(x)", "--domain", "0.01:1", "--optimizer", "adam", "--steps", "400", "--display-step", "200");
        Assert.True(normal.ExitCode == 0, normal.All);
        Assert.DoesNotContain("\u001b[", normal.All);
        Assert.Contains("step    200: for x = ", normal.Stdout);

        var quiet = CliRunner.Run("fit", "--target", "ln(x)", "--domain", "0.01:1", "--optimizer", "adam", "--steps", "400", "--display-step", "200", "--quiet");
        Assert.DoesNotContain("step    200", quiet.Stdout);
        Assert.Contains("evaluation on 0.01:1", quiet.Stdout);
        Assert.Equal("", quiet.Stderr);
    }

    [Fact]
    public void VerboseDescribesTheProblemAsSetUp()
    {
        var o = CliRunner.Run("fit", "--target", "x^2+100", "--domain", "0:1", "--steps", "100", "--verbose");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("network: 1-10-1 tanh, 31 parameters", o.Stdout); // x² needs 9 Chebyshev points: 10 units (Defaults.HiddenWidth)
        Assert.Contains("normaliser: target standardised", o.Stdout);
        Assert.Contains("defaults used: ", o.Stdout);
        Assert.Contains("kernel plan: 1-10-1 tanh, float64", o.Stdout); // lm's: the float64 blocks it evaluates
    }

    [Fact]
    public void VerbosePrintsTheKernelPlan()
    {
        var o = CliRunner.Run("fit", "--target", "ln(x)", "--domain", "0.01:1", "--layers", "50,10", "--activation", "relu",
            "--optimizer", "adam", "--batch", "500", "--steps", "3", "--verbose");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("kernel plan: 1-50-10-1 relu, float32, batch 500, a training step", o.Stdout);
        Assert.Contains("segments   no: at batch 500 the cost model says the products are faster", o.Stdout);
        Assert.Contains("layer 2    10→1 linear", o.Stdout);
    }

    [Fact]
    public void QuietAndVerboseTogetherAreACleanError() =>
        CliRunner.AssertCleanError(CliRunner.Run("fit", "--target", "x", "--steps", "5", "--quiet", "--verbose"), "contradict");

    /// <summary>`script` gives the command a pseudo-terminal, as a person's shell would.</summary>
    [Fact]
    public void ATerminalGetsALiveBarWithStepLossSpeedAndEta()
    {
        if (!File.Exists("/usr/bin/script")) return; // util-linux is on every Debian; elsewhere there is nothing to drive a pty with
        string cli = Path.Combine(AppContext.BaseDirectory, "NeuralFit.Cli.dll");
        var start = new ProcessStartInfo("/usr/bin/script") { RedirectStandardOutput = true, RedirectStandardInput = true };
        // Two seconds of training (the time limit) on a machine that does fewer than 150,000 steps a second, and no
        // fewer than 300,000 steps on a faster one: a run of few steps could end before the bar is drawn (redrawn every
        // 100 ms; speed and ETA need two progress reports). Not more steps: the line must fit in 80 columns, ETA too.
        foreach (var a in new[] { "-qfec", $"dotnet '{cli}' fit --target 'ln(x)' --domain 0.01:1 --optimizer adam --steps 300000 --max-seconds 2", "/dev/null" })
            start.ArgumentList.Add(a);
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NEURALFIT_NO_PROGRESS");
        using var process = Process.Start(start)!;
        var text = process.StandardOutput.ReadToEnd(); // script writes everything the terminal showed to stdout
        Assert.True(process.WaitForExit(CliProcess.Patience), "fit under a pseudo-terminal did not finish");
        Assert.True(process.ExitCode is 0 or 1, text);     // fitted, or not within its time: either way a finished run
        Assert.Contains("\u001b[", text);                  // drawn in place
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(text, "step [0-9,]+/300,000  loss [0-9.e+-]+  [0-9,]+ steps/s  ETA [0-9]+:[0-9]{2}"), text);
        Assert.Contains("evaluation on 0.01:1", text);     // and the summary after it
    }
}
