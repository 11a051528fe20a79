using System.Text.RegularExpressions;
using NeuralFit.Configuration;
using NeuralFit.Question;
using NeuralFit.Reports;
using NeuralFit.Tests.Cli;
using SkiaSharp;

namespace NeuralFit.Tests.Reports;

/// <summary>--report writes every plot in PNG and SVG and an index.html that a browser renders with its images.</summary>
public class ReportTests
{
    static readonly string[] RunPlots = ["fit", "error", "loss", "live-units", "error-histogram", "regression"];

    [Fact]
    public void FitReportHasEveryPlotInBothFormats()
    {
        var dir = Directory.CreateTempSubdirectory("nf-report-").FullName;
        var o = CliRunner.RunIn(dir, "fit", "--target", "ln(x)", "--domain", "0:1", "--eval-domain", "0.01:1", "--layers", "50,10", "--activation", "relu",
            "--init", "uniform:0:1", "--bias-init", "uniform:0:1", "--optimizer", "sgd", "--lr", "0.01", "--batch", "50", "--steps", "300",
            "--sampler", "fresh-uniform", "--seed", "1", "--report", "report", "--quiet");
        Assert.True(o.ExitCode == 0, o.All);
        foreach (var name in RunPlots)
        {
            AssertPicture(Path.Combine(dir, "report", name + ".png"));
            Assert.StartsWith("<?xml", File.ReadAllText(Path.Combine(dir, "report", name + ".svg")));
        }
        var html = File.ReadAllText(Path.Combine(dir, "report", "index.html"));
        foreach (var words in new[] { "dead-units", "collapsed-output", "Cause chain", "Findings", "learningRate", "grid MSE", "live-units.png" })
            Assert.Contains(words, html);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void TwoInputReportsDrawHeatmaps()
    {
        var dir = Directory.CreateTempSubdirectory("nf-report2-").FullName;
        var o = CliRunner.RunIn(dir, "diagnose", "--target", "x1*x2", "--domain", "-1:1", "--domain", "-1:1", "--steps", "200", "--report", "r", "--quiet");
        Assert.True(o.ExitCode == 0, o.All);
        foreach (var name in RunPlots) AssertPicture(Path.Combine(dir, "r", name + ".png"));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void ReplicationReportHasTheTableAndPlotsPerVariant()
    {
        var variants = QuestionVariants.All(QuestionVariants.Recommended()).Take(2)
            .Select(v => v with { Config = v.Config with { Steps = 200 } }).ToList();
        var summaries = Replicator.Run(variants, 2);
        var dir = Directory.CreateTempSubdirectory("nf-seed-report-").FullName;
        var index = ReplicationReportWriter.Write(dir, summaries);
        var html = File.ReadAllText(index);
        foreach (var v in variants) Assert.Contains(System.Net.WebUtility.HtmlEncode(v.Name), html);
        foreach (var v in variants) Assert.Contains(System.Net.WebUtility.HtmlEncode(v.Test), html);
        // Each plot names its variant, so an image opened alone still says what it shows.
        Assert.Contains(System.Net.WebUtility.HtmlEncode($"{variants[0].Name}: loss per seed"), html);
        for (int i = 1; i <= 2; i++)
        {
            AssertPicture(Path.Combine(dir, $"variant-{i}-fit.png"));
            AssertPicture(Path.Combine(dir, $"variant-{i}-loss.png"));
        }
        Directory.Delete(dir, recursive: true);
    }

    [ChromiumFact]
    public void ChromiumRendersTheReportWithAllItsImages()
    {
        var dir = Directory.CreateTempSubdirectory("nf-browser-").FullName;
        var o = CliRunner.RunIn(dir, "fit", "--target", "sin(3*x)+x^2", "--domain", "-2:2", "--steps", "300", "--report", "report", "--quiet");
        Assert.True(o.ExitCode == 0, o.All);
        var page = Path.Combine(dir, "report", "index.html");

        // The page's own check counts the images that decoded (naturalWidth > 0) once it has loaded.
        var dom = Chromium.Run(page, "--dump-dom");
        var loaded = Regex.Match(dom, "data-images-loaded=\"(\\d+)/(\\d+)\"");
        Assert.True(loaded.Success, "the page did not report its images: " + dom[..Math.Min(300, dom.Length)]);
        Assert.Equal(RunPlots.Length, int.Parse(loaded.Groups[2].Value));
        Assert.Equal(loaded.Groups[2].Value, loaded.Groups[1].Value);

        // And the screenshot shows them: plots add many colours to a white page of text.
        var shot = Path.Combine(dir, "shot.png");
        Chromium.Run(page, $"--screenshot={shot}", "--window-size=1280,2200");
        Assert.True(Colours(shot) > 50, "the screenshot looks empty");
        Directory.Delete(dir, recursive: true);
    }

    /// <summary>A real picture: decodes, has the plot's size, and more than a couple of colours.</summary>
    static void AssertPicture(string png)
    {
        Assert.True(File.Exists(png), $"{png} is missing");
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.True(bitmap.Width >= 400 && bitmap.Height >= 250, $"{png} is {bitmap.Width}x{bitmap.Height}");
        Assert.True(Colours(png) > 10, $"{png} looks blank");
    }

    static int Colours(string png)
    {
        using var bitmap = SKBitmap.Decode(png);
        var seen = new HashSet<uint>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                seen.Add((uint)bitmap.GetPixel(x, y));
        return seen.Count;
    }
}
