using ScottPlot;

namespace NeuralFit.Reports.Plots;

/// <summary>
/// The fit and its error over the domain. One input: curves over x with the training points. Two inputs: heatmaps
/// over the (x1, x2) plane. More: the curves along each input through the domain's centre, and the error histogram
/// and regression plot carry the rest.
/// </summary>
static class FitPlots
{
    public static Plot Fit(RunData d) => d.Inputs switch
    {
        1 => FitCurve(d),
        2 => Heatmap(d, d.Prediction, "Model output over the domain", "prediction", withPoints: true),
        _ => Slices(d),
    };

    public static Plot Error(RunData d) => d.Inputs switch
    {
        1 => ErrorCurve(d),
        2 => Heatmap(d, d.Error.Select(Math.Abs).ToArray(), "|error| over the domain", "|prediction − target|", withPoints: false),
        _ => ErrorBySlice(d),
    };

    static Plot FitCurve(RunData d)
    {
        var plot = Charts.New(d.OutputName is { } name ? $"Fit of {name}" : $"Fit of {d.Fit.Config.Target ?? "the data"}", "x", d.OutputName ?? "y");
        var (xs, target, model) = (d.X, d.Target, d.Prediction);
        var finite = Enumerable.Range(0, d.Count).Where(i => double.IsFinite(target[i])).ToArray();
        var lo = d.Domain[0].Lo;
        var hi = d.Domain[0].Hi;
        var points = Enumerable.Range(0, d.TrainingSample.Count)
            .Where(i => d.TrainingSample.X.Span[i] >= lo && d.TrainingSample.X.Span[i] <= hi && double.IsFinite(d.TrainingSample.Y.Span[i])).ToArray();
        var train = plot.Add.ScatterPoints(points.Select(i => d.TrainingSample.X.Span[i]).ToArray(), points.Select(i => d.TrainingSample.Y.Span[i]).ToArray(), Charts.Points);
        train.MarkerSize = 4;
        train.LegendText = d.Problem.FreshSampling ? "training samples (fresh each step)" : "training points";
        var t = plot.Add.ScatterLine(finite.Select(i => xs[i]).ToArray(), finite.Select(i => target[i]).ToArray(), Charts.Target.WithAlpha(0.45));
        t.LineWidth = 5;
        t.LegendText = $"target {(d.OutputName is null ? d.Fit.Config.Target : d.Fit.Config.TargetExpressions.ElementAtOrDefault(d.Output) ?? d.OutputName)}";
        var m = plot.Add.ScatterLine(xs, model.Select(v => double.IsFinite(v) ? v : double.NaN).ToArray(), Charts.Model);
        m.LineWidth = 1.5f;
        m.LegendText = "network";
        plot.ShowLegend(Alignment.LowerRight);
        return plot;
    }

    static Plot ErrorCurve(RunData d)
    {
        var plot = Charts.New("Error over the domain", "x", "prediction − target");
        var error = d.Error;
        var line = plot.Add.ScatterLine(d.X, error, Charts.Error);
        line.LineWidth = 1.5f;
        plot.Add.HorizontalLine(0, 1, Colors.Gray);
        return plot;
    }

    static Plot Heatmap(RunData d, double[] values, string title, string label, bool withPoints)
    {
        var plot = Charts.New(title, "x1", "x2");
        var (a1, a2) = (d.Axis(0), d.Axis(1));
        var cells = new double[a2.Length, a1.Length];
        for (int i = 0; i < d.Count; i++)
        {
            int c = Array.BinarySearch(a1, d.X[2 * i]), r = Array.BinarySearch(a2, d.X[2 * i + 1]);
            cells[a2.Length - 1 - r, c] = double.IsFinite(values[i]) ? values[i] : double.NaN; // row 0 is drawn at the top
        }
        var map = plot.Add.Heatmap(cells);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Extent = new CoordinateRect(a1[0], a1[^1], a2[0], a2[^1]);
        var bar = plot.Add.ColorBar(map);
        bar.Label = label;
        if (withPoints)
        {
            var s = d.TrainingSample;
            var pts = plot.Add.ScatterPoints(Enumerable.Range(0, s.Count).Select(i => s.X.Span[2 * i]).ToArray(),
                Enumerable.Range(0, s.Count).Select(i => s.X.Span[2 * i + 1]).ToArray(), Charts.Points.WithAlpha(0.8));
            pts.MarkerSize = 3;
            pts.LegendText = "training points";
            plot.ShowLegend(Alignment.UpperRight);
        }
        plot.Axes.TightMargins();
        return plot;
    }

    /// <summary>Through the centre of the domain, one input varied at a time.</summary>
    static Plot Slices(RunData d)
    {
        var plot = Charts.New("Fit along each input, others at the domain's centre", "position in the input's range (0 = lo, 1 = hi)", "y");
        // target thick and light, network thin, one colour per input
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < d.Inputs; k++)
        {
            var (u, y, p) = SliceValues(d, k);
            var color = palette.GetColor(k);
            var t = plot.Add.ScatterLine(u, y, color.WithAlpha(0.4));
            t.LineWidth = 5;
            t.LegendText = $"target along {d.InputName(k)}";
            var m = plot.Add.ScatterLine(u, p, color);
            m.LineWidth = 1.5f;
            m.LegendText = $"network along {d.InputName(k)}";
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>Along input k through the domain's centre (200 points): position, target and prediction.</summary>
    static (double[] U, double[] Target, double[] Prediction) SliceValues(RunData d, int k)
    {
        var (u, x) = Slice(d, k, 200);
        return (u, d.TargetAt(x), d.PredictAt(x));
    }

    static Plot ErrorBySlice(RunData d)
    {
        var plot = Charts.New("Error along each input, others at the domain's centre", "position in the input's range (0 = lo, 1 = hi)", "prediction − target");
        var palette = new ScottPlot.Palettes.Category10();
        for (int k = 0; k < d.Inputs; k++)
        {
            var (u, y, p) = SliceValues(d, k);
            var line = plot.Add.ScatterLine(u, p.Select((v, i) => v - y[i]).ToArray(), palette.GetColor(k));
            line.LegendText = d.InputName(k);
        }
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>n points along input k: positions u in [0, 1] and the inputs, row-major (n, inputs).</summary>
    static (double[] U, double[] X) Slice(RunData d, int k, int n)
    {
        var u = Enumerable.Range(0, n).Select(i => i / (n - 1.0)).ToArray();
        var x = new double[n * d.Inputs];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d.Inputs; j++)
                x[i * d.Inputs + j] = j == k ? d.Domain[j].Lo + u[i] * d.Domain[j].Width : d.Domain[j].Mid;
        return (u, x);
    }
}
