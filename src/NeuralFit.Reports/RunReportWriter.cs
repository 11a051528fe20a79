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
        // several outputs: each plot of the fit gets one figure per output, named after it (fit-1, fit-2, …)
        bool several = data.PerOutput.Count > 1;
        string Name(string name, RunData d) => several ? $"{name}-{d.Output + 1}" : name;
        string Title(string title, RunData d) => several ? $"{title}: {d.OutputName}" : title;
        foreach (var d in data.PerOutput)
        {
            Add(new Figure(Name("fit", d), Title("Fit", d), fitCaption), FitPlots.Fit(d));
            Add(new Figure(Name("error", d), Title("Error", d), data.Inputs == 2 ? "|prediction − target| over the plane." : "prediction − target over the evaluation range."), FitPlots.Error(d));
        }
        Add(new Figure("loss", "Loss", "Training loss (and validation loss, when held out) per step, in the network's normalised units, log scale."),
            TrainingPlots.Loss(fit.History));
        if (diagnosis is not null && diagnosis.Trace.Snapshots.Count > 0)
            Add(new Figure("live-units", "Live units", "Share of each hidden layer's units still alive at each probe step: not dead (ReLU family: active on some probe input) and not saturated (tanh, sigmoid). A layer that drops to 0 passes nothing on."),
                TrainingPlots.LiveUnits(diagnosis.Trace.Snapshots, fit.Config.Activation));
        foreach (var d in data.PerOutput)
        {
            Add(new Figure(Name("error-histogram", d), Title("Error histogram", d), "How the errors on the evaluation grid spread."), TrainingPlots.ErrorHistogram(d.Error));
            Add(new Figure(Name("regression", d), Title("Regression", d), "Prediction against target at every grid point; a perfect fit lies on the diagonal."),
                TrainingPlots.Regression(d.Target, d.Prediction));
        }

        string index = Path.Combine(folder, "index.html");
        AtomicFile.WriteAllText(index, RunHtml.Render(fit, diagnosis, figures));
        return index;
    }
}
