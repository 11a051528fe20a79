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

    /// <summary>A data fit whose model is the linear baseline was solved, not trained: its summary says so, with no
    /// "trained 0 steps", no "0 steps/s" and no activation for a network without hidden units.</summary>
    [Fact]
    public void ABaselineModelIsSaidToBeSolvedNotTrained()
    {
        string folder = Directory.CreateTempSubdirectory("nf-wording-").FullName;
        var rng = new Random(1);
        var lines = new List<string> { "x1,x2,x3,y" };
        for (int i = 0; i < 80; i++)
        {
            double[] x = [rng.NextDouble(), rng.NextDouble(), rng.NextDouble()];
            lines.Add(string.Join(",", new[] { x[0], x[1], x[2], 3 * x[0] - 2 * x[1] + x[2] + 8 * (rng.NextDouble() - 0.5) }.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }
        string csv = System.IO.Path.Combine(folder, "rows.csv");
        File.WriteAllLines(csv, lines);
        var r = NeuralFit.Fitting.FitRunner.Run(new NeuralFit.Configuration.FitOptions { Data = csv });
        Directory.Delete(folder, recursive: true);
        Assert.True(r.UsesBaseline);
        string summary = RunReport.Summary(r);
        Assert.DoesNotContain("trained 0 steps", summary);
        Assert.DoesNotContain("steps/s", summary);
        Assert.Contains("network 3-1 linear (no hidden layer), ridge regression in closed form", summary);
        Assert.Contains("the linear baseline is the model: solved in closed form, no training steps", summary);
        Assert.DoesNotMatch(@"[0-9]E[-+][0-9]", summary);
    }

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
