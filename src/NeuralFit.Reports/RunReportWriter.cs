using NeuralFit.Diagnostics;
using NeuralFit.Persistence;
using NeuralFit.Reports.Html;
using NeuralFit.Reports.Plots;
using NeuralFit.Fitting;

namespace NeuralFit.Reports;

/// <summary>
/// Writes a run's report into a folder: the plots as PNG and SVG, and index.html around them. With a diagnosis
/// (probes attached) it adds the live-unit plot, the findings and the cause chain.
/// </summary>
public static class RunReportWriter
{
    /// <returns>The path of index.html.</returns>
    public static string Write(string dir, FitResult fit, DiagnosisResult? diagnosis = null)
    {
        string folder = ReportFolder.Prepare(dir);
        var data = RunData.For(fit);
        var figures = new List<Figure>();
        void Add(Figure f, ScottPlot.Plot plot)
        {
            Charts.Save(plot, folder, f);
            figures.Add(f);
        }

        string fitCaption = data.Inputs switch
        {
            1 => "The target (thick, grey), the network (thin, blue) and the training points over the evaluation range.",
            2 => "The network's output over the (x1, x2) plane, with the training points.",
            _ => "The target (thick, light) and the network (thin) along each input through the domain's centre.",
        };
        Add(new Figure("fit", "Fit", fitCaption), FitPlots.Fit(data));
        Add(new Figure("error", "Error", data.Inputs == 2 ? "|prediction − target| over the plane." : "prediction − target over the evaluation range."), FitPlots.Error(data));
        Add(new Figure("loss", "Loss", "Training loss (and validation loss, when held out) per step, in the network's normalised units, log scale."),
            TrainingPlots.Loss(fit.History));
        if (diagnosis is not null && diagnosis.Trace.Snapshots.Count > 0)
            Add(new Figure("live-units", "Live units", "Share of each hidden layer's units still alive at each probe step: not dead (ReLU family: active on some probe input) and not saturated (tanh, sigmoid). A layer that drops to 0 passes nothing on."),
                TrainingPlots.LiveUnits(diagnosis.Trace.Snapshots, fit.Config.Activation));
        Add(new Figure("error-histogram", "Error histogram", "How the errors on the evaluation grid spread."), TrainingPlots.ErrorHistogram(data.Error));
        Add(new Figure("regression", "Regression", "Prediction against target at every grid point; a perfect fit lies on the diagonal."),
            TrainingPlots.Regression(data.Target, data.Prediction));

        string index = Path.Combine(folder, "index.html");
        AtomicFile.WriteAllText(index, RunHtml.Render(fit, diagnosis, figures));
        return index;
    }
}
