using NeuralFit.Cli.Terminal;

namespace NeuralFit.Tests.Cli;

/// <summary>One number style and counted nouns in what the terminal prints.</summary>
public class TerminalWordingTests
{
    [Theory]
    [InlineData(7.779e-11, "G4", "7.779e-11")]
    [InlineData(1.5e20, "G4", "1.5e+20")]
    [InlineData(-0.00001, "F4", "0.0000")]
    [InlineData(-0.0, "G4", "0")]
    [InlineData(-0.25, "F4", "-0.2500")]
    [InlineData(12345.678, "N0", "12,346")]
    public void NumbersHaveOneStyle(double value, string format, string shown)
    {
        Assert.Equal(shown, TerminalNumbers.Show(value, format));
        Assert.Equal(shown, Formatted(value, format)); // the same through an interpolated string
    }

    static string Formatted(double value, string format) => format switch
    {
        "G4" => string.Create(TerminalNumbers.Format, $"{value:G4}"),
        "F4" => string.Create(TerminalNumbers.Format, $"{value:F4}"),
        _ => string.Create(TerminalNumbers.Format, $"{value:N0}"),
    };

    [Theory]
    [InlineData(0, "0 warnings")]
    [InlineData(1, "1 warning")]
    [InlineData(2, "2 warnings")]
    [InlineData(1024, "1,024 warnings")]
    public void CountedNounsAgree(long n, string text) => Assert.Equal(text, Words.Count(n, "warning"));

    [Fact]
    public void AFitSummaryWritesNoUpperCaseExponentNorNegativeZero()
    {
        var o = CliRunner.Run("fit", "--target", "sin(x)", "--domain", "-3:-1", "--verbose");
        Assert.True(o.ExitCode == 0, o.All);
        Assert.DoesNotMatch(@"[0-9]E[-+][0-9]", o.Stdout);
        Assert.DoesNotContain("-0.0000", o.Stdout);
        Assert.DoesNotContain("− -", o.Stdout);
        Assert.Contains("(v + 2) / 1", o.Stdout);
        Assert.Matches(@"data: 1,024 training points \(grid\), [0-9,]+ validation points", o.Stdout);
    }
}
