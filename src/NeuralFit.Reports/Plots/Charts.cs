using NeuralFit.Persistence;
using ScottPlot;

namespace NeuralFit.Reports.Plots;

/// <summary>A figure saved under one name as PNG (for the page) and SVG (for papers), and its caption.</summary>
public sealed record Figure(string Name, string Title, string Caption)
{
    public string Png => Name + ".png";
    public string Svg => Name + ".svg";
}

/// <summary>
/// How every plot looks and how it is saved: one sans-serif font, one size, atomic PNG and SVG files. Lines are
/// told apart by colour and width, never by dash pattern: Skia's SVG canvas cannot draw dashes (it prints
/// "Unsupported path effect" on the console for each one).
/// </summary>
static class Charts
{
    public const int Width = 720, Height = 440;
    public const int SmallWidth = 480, SmallHeight = 300;

    static readonly Lazy<string?> SansFont = new(() =>
    {
        // SkiaSharp lists the fonts fontconfig knows; without a sans-serif one, ScottPlot's default stays.
        var families = SkiaSharp.SKFontManager.Default.FontFamilies.ToHashSet();
        return new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI" }.FirstOrDefault(families.Contains);
    });

    public static readonly Color Target = Color.FromHex("#222222");
    public static readonly Color Model = Color.FromHex("#1f77b4");
    public static readonly Color Points = Color.FromHex("#ff7f0e");
    public static readonly Color Error = Color.FromHex("#d62728");
    public static readonly Color Validation = Color.FromHex("#2ca02c");

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (SansFont.Value is string font) plot.Font.Set(font);
        plot.Title(title, 15);
        plot.XLabel(xLabel, 13);
        plot.YLabel(yLabel, 13);
        return plot;
    }

    public static void Save(Plot plot, string dir, Figure figure, int width = Width, int height = Height)
    {
        var png = plot.GetImageBytes(width, height, ImageFormat.Png);
        AtomicFile.WriteAllBytes(Path.Combine(dir, figure.Png), png);
        AtomicFile.WriteAllText(Path.Combine(dir, figure.Svg), plot.GetSvgXml(width, height));
    }

    /// <summary>Log-scale ticks for values plotted as log10: labels 1e-3, 1e-2, … at the integers.</summary>
    public static void LogTicks(IAxis axis)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = v => $"1e{v:0}",
        };
    }

    /// <summary>Ticks at steps 0, 1, 10, 100, … for step counts plotted as log10(step + 1).</summary>
    public static void StepTicks(IAxis axis, int maxStep)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        ticks.AddMajor(0, "0");
        for (long s = 1; s <= Math.Max(1, maxStep); s *= 10)
            ticks.AddMajor(Math.Log10(s + 1), s.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        axis.TickGenerator = ticks;
    }

    public static double Log10OrFloor(double v, double floor = 1e-30) => Math.Log10(Math.Max(floor, v));
}
