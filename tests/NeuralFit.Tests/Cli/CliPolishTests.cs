using NeuralFit.Configuration;

namespace NeuralFit.Tests.Cli;

/// <summary>The command as a user first meets it: its name in help, named option values, a bare call, domains with constants.</summary>
public class CliPolishTests
{
    [Fact]
    public void ABareCallListsTheCommands()
    {
        var o = CliRunner.Run();
        Assert.Equal(0, o.ExitCode);
        Assert.Contains("neuralfit [command] [options]", o.Stdout);
        foreach (var command in new[] { "fit", "diagnose", "doctor", "seed", "predict", "export", "sweep", "bench" })
            Assert.Contains($"  {command} ", o.Stdout);
        Assert.DoesNotContain("Required command", o.All);
    }

    [Fact]
    public void HelpSaysNeuralfitAndNamesTheValues()
    {
        var o = CliRunner.Run("fit", "--help");
        Assert.Contains("neuralfit fit [options]", o.Stdout);
        Assert.DoesNotContain("NeuralFit.Cli", o.Stdout);
        foreach (var named in new[] { "--steps <steps>", "--config <file>", "--data <file>", "--domain <lo:hi>", "--lr <rate>", "--y <column>" })
            Assert.Contains(named, o.Stdout);
        Assert.DoesNotContain("<value>", o.Stdout);
    }

    [Theory]
    [InlineData("0:2*pi", 0, 2 * Math.PI)]
    [InlineData("-sqrt(2):sqrt(2)", -1.4142135623730951, 1.4142135623730951)]
    [InlineData("pi/4 : e", Math.PI / 4, Math.E)]
    [InlineData("-1e-3:1", -1e-3, 1)]
    public void DomainEndsMayBeConstantExpressions(string text, double lo, double hi) =>
        Assert.Equal(new Interval(lo, hi), Interval.Parse(text, "--domain"));

    [Theory]
    [InlineData("0:2*x", "uses an input")]
    [InlineData("0:2*pii", "(did you mean 'pi'?)")]
    [InlineData("1:ln(0)", "not finite")]
    [InlineData("pi:3", "is empty")]
    public void ADomainEndThatIsNoConstantIsAnInputError(string text, string mention) =>
        Assert.Contains(mention, Assert.Throws<InputError>(() => Interval.Parse(text, "--domain")).Message);

    [Fact]
    public void DisplayStepZeroPrintsNoDisplayLines()
    {
        var on = CliRunner.Run("fit", "--target", "sin(x)", "--domain", "0:2*pi", "--layers", "4", "--optimizer", "adam", "--steps", "20", "--display-step", "10");
        Assert.Equal(0, on.ExitCode);
        Assert.Contains("step     10:", on.Stdout);
        var off = CliRunner.Run("fit", "--target", "sin(x)", "--domain", "0:2*pi", "--layers", "4", "--optimizer", "adam", "--steps", "20", "--display-step", "0");
        Assert.True(off.ExitCode == 0, off.All);
        Assert.DoesNotContain("step      0:", off.Stdout);
        Assert.Contains("fit sin(x) on 0:6.283185307179586", off.Stdout);
    }
}
