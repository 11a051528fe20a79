using NeuralFit.Diagnostics.Probes;
using NeuralFit.Networks;
using NeuralFit.Training.Observers;
using ScottPlot;

namespace NeuralFit.Reports.Plots;

/// <summary>How training went: the loss curves, each layer's live units over the steps, and the error's spread.</summary>
static class TrainingPlots
{
    /// <summary>Training (and validation) loss on a log scale, in the network's normalised units.</summary>
    public static Plot Loss(IReadOnlyList<HistoryPoint> history)
    {
        var plot = Charts.New("Loss during training", "step", "mean squared error (normalised units)");
        var points = history.Where(h => double.IsFinite(h.Loss)).ToArray();
        var train = plot.Add.ScatterLine(points.Select(h => (double)h.Step).ToArray(), points.Select(h => Charts.Log10OrFloor(h.Loss)).ToArray(), Charts.Model);
        train.LineWidth = 2;
        train.LegendText = "training loss";
        var validation = history.Where(h => h.ValidationLoss is double v && double.IsFinite(v)).ToArray();
        if (validation.Length > 0)
        {
            var v = plot.Add.ScatterLine(validation.Select(h => (double)h.Step).ToArray(), validation.Select(h => Charts.Log10OrFloor(h.ValidationLoss!.Value)).ToArray(), Charts.Validation);
            v.LineWidth = 2;
            v.LegendText = "validation loss";
        }
        Charts.LogTicks(plot.Axes.Left);
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>
    /// Per hidden layer, the share of its units still alive at each probe step: not dead (ReLU family: active on
    /// some probe input) and not stuck (tanh, sigmoid pinned at one bound over the whole domain; steep units that
    /// switch inside it are alive). Steps on a log scale, since layers die in the first few; the legend sits below the
    /// plot, because lines run through every corner of it (the question's layers fall from 1 to 0 over steps 0–2).
    /// </summary>
    public static Plot LiveUnits(IReadOnlyList<ProbeSnapshot> snapshots, Activation activation)
    {
        var plot = Charts.New($"Live units per hidden layer ({activation.Name()})", "step", "share of units alive");
        var palette = new ScottPlot.Palettes.Category10();
        int layers = snapshots.Count == 0 ? 0 : snapshots[0].Layers.Count(l => !l.IsOutput);
        var xs = snapshots.Select(s => Math.Log10(s.Step + 1.0)).ToArray();
        for (int l = 0; l < layers; l++)
        {
            var ys = snapshots.Select(s => s.Layers[l]).Select(layer => layer.Units == 0 ? 0 : (double)(layer.Units - layer.DeadUnits - layer.StuckUnits) / layer.Units).ToArray();
            var line = plot.Add.Scatter(xs, ys, palette.GetColor(l));
            line.LineWidth = 2;
            line.MarkerSize = 5;
            line.LegendText = $"layer {l + 1} ({snapshots[0].Layers[l].Units} units)";
        }
        plot.Axes.SetLimitsY(-0.03, 1.05);
        Charts.StepTicks(plot.Axes.Bottom, snapshots.Count == 0 ? 1 : snapshots[^1].Step);
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    public static Plot ErrorHistogram(double[] error)
    {
        var plot = Charts.New("Error histogram on the evaluation grid", "prediction − target", "points");
        var finite = error.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return plot;
        double lo = finite.Min(), hi = finite.Max();
        if (!(hi > lo)) { lo -= 0.5 * Math.Max(1e-12, Math.Abs(lo)); hi += 0.5 * Math.Max(1e-12, Math.Abs(hi)); }
        var hist = ScottPlot.Statistics.Histogram.WithBinCount(40, lo, hi);
        hist.AddRange(finite);
        plot.Add.Histogram(hist, Charts.Error);
        plot.Add.VerticalLine(0, 1, Colors.Gray);
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    /// <summary>Prediction against target at every grid point: on the diagonal when the fit is perfect.</summary>
    public static Plot Regression(double[] target, double[] prediction)
    {
        var plot = Charts.New("Prediction against target", "target", "prediction");
        var ok = Enumerable.Range(0, target.Length).Where(i => double.IsFinite(target[i]) && double.IsFinite(prediction[i])).ToArray();
        if (ok.Length == 0) return plot;
        double lo = ok.Min(i => Math.Min(target[i], prediction[i])), hi = ok.Max(i => Math.Max(target[i], prediction[i]));
        var diagonal = plot.Add.ScatterLine(new[] { lo, hi }, new[] { lo, hi }, Colors.Gray);
        diagonal.LegendText = "prediction = target";
        var pts = plot.Add.ScatterPoints(ok.Select(i => target[i]).ToArray(), ok.Select(i => prediction[i]).ToArray(), Charts.Model);
        pts.MarkerSize = 3;
        pts.LegendText = "grid points";
        plot.ShowLegend(Alignment.UpperLeft);
        return plot;
    }
}
