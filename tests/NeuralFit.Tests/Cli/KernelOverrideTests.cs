using NeuralFit.Networks;

namespace NeuralFit.Tests.Cli;

/// <summary>NEURALFIT_KERNEL as a user sets it. Forcing a width runs it even where the plan's own choice would
/// differ (a batch of 50 is under 8 vectors of 512 bits, which the machine's own vector512 runs at 256 bits), and
/// `--verbose` says which runs and why.</summary>
public class KernelOverrideTests
{
    static readonly string[] Fit =
        ["fit", "--target", "ln(x)", "--domain", "0.01:1", "--layers", "50,10", "--optimizer", "adam", "--batch", "50", "--steps", "2",
         "--eval-points", "100", "--verbose"];

    [Fact]
    public void TheVariableForcesTheWidthAndVerboseSaysWhy()
    {
        foreach (var wide in new[] { KernelVariant.Vector512, KernelVariant.Vector256 })
        {
            var o = CliRunner.RunWithEnvironment(new Dictionary<string, string> { [KernelVariants.EnvironmentVariable] = wide.Name() }, Fit);
            Assert.True(o.ExitCode == 0, o.All);
            if (KernelVariants.Supported.Contains(wide))
                Assert.Contains($"variant    {wide.Name()}: {KernelVariants.EnvironmentVariable}={wide.Name()}", o.Stdout);
            else
                Assert.Contains("cannot run it natively", o.Stderr);
        }
        var auto = CliRunner.RunWithEnvironment(new Dictionary<string, string> { [KernelVariants.EnvironmentVariable] = "auto" }, Fit);
        Assert.True(auto.ExitCode == 0, auto.All);
        if (KernelVariants.Best == KernelVariant.Vector512)
            Assert.Contains("variant    vector256: vector512 (the widest this machine runs natively), narrowed: a batch of 50 is under 8", auto.Stdout);
        else
            Assert.Contains($"variant    {KernelVariants.Best.Name()}: the widest this machine runs natively", auto.Stdout);
    }
}
