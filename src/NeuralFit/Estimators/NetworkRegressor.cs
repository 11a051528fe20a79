using NeuralFit.Configuration;
using NeuralFit.Diagnostics;
using NeuralFit.Fitting;

namespace NeuralFit.Estimators;

/// <summary>
/// The estimator: options in, a fitted <see cref="RegressionModel"/> out, as scikit-learn's <c>fit</c> and ML.NET's
/// <c>IEstimator.Fit</c> do. The data are arrays, one row per sample: <c>x</c> of shape (samples, inputs) and
/// <c>y</c> of shape (samples) or (samples, outputs). Every setting the options leave null is NeuralFit's to choose,
/// as for a data file: a test share is held out and measured, and the network must beat a linear baseline.
/// <code>
/// var model = new NetworkRegressor(new FitOptions { Seed = 2 }).Fit(x, y);
/// double[] predicted = model.Predict(x);
/// </code>
/// Bad arrays (shapes that disagree, values that are not finite) throw <see cref="ArgumentException"/>; settings out
/// of range, or settings that describe another target, throw <see cref="InputError"/> naming the property.
/// </summary>
public sealed class NetworkRegressor(FitOptions? options = null)
{
    /// <summary>What the caller set; null settings are NeuralFit's to choose.</summary>
    public FitOptions Options { get; } = options ?? new FitOptions();

    /// <summary>Progress and display callbacks for long fits (optional).</summary>
    public FitHooks? Hooks { get; init; }

    /// <summary>Fits y (samples) on x (samples, inputs).</summary>
    public RegressionModel Fit(double[,] x, double[] y, CancellationToken cancel = default) => FitRows(ArrayRows.Of(x, y), cancel);

    /// <summary>
    /// Fits y (samples, outputs) on x (samples, inputs). One output column for now: several columns throw
    /// <see cref="NotSupportedException"/> until the network has several output units.
    /// </summary>
    public RegressionModel Fit(double[,] x, double[,] y, CancellationToken cancel = default) => FitRows(ArrayRows.Of(x, y), cancel);

    /// <inheritdoc cref="Fit(double[,], double[], CancellationToken)"/>
    public RegressionModel Fit(float[,] x, float[] y, CancellationToken cancel = default) =>
        FitRows(ArrayRows.Of(ArrayRows.Widen(x), ArrayRows.Widen(y)), cancel);

    /// <summary>Fits y (samples) on x given row-major (samples × inputs, so x holds inputs × y.Length values).</summary>
    public RegressionModel Fit(ReadOnlySpan<double> x, ReadOnlySpan<double> y, CancellationToken cancel = default) =>
        FitRows(ArrayRows.Of(x, y), cancel);

    /// <summary>Fits the target the options describe: an expression over its domain (<see cref="FitOptions.Target"/>,
    /// <see cref="FitOptions.Domain"/>) or a CSV file (<see cref="FitOptions.Data"/>).</summary>
    public RegressionModel Fit(CancellationToken cancel = default) => Model(FitRunner.Run(Options, Hooks, cancel));

    /// <summary>Fits as <see cref="Fit(double[,], double[], CancellationToken)"/> does, with probes attached, and says what
    /// went wrong, why (the cause chain) and what to change (each finding's fixes, as patches of the options).</summary>
    public DiagnosisResult Diagnose(double[,] x, double[] y, CancellationToken cancel = default) =>
        Diagnoser.Run(ForArrays(ArrayRows.Of(x, y)), Hooks, cancel);

    /// <inheritdoc cref="Diagnose(double[,], double[], CancellationToken)"/>
    public DiagnosisResult Diagnose(double[,] x, double[,] y, CancellationToken cancel = default) =>
        Diagnoser.Run(ForArrays(ArrayRows.Of(x, y)), Hooks, cancel);

    /// <summary>Diagnoses a fit of the target the options describe (see <see cref="Fit(CancellationToken)"/>).</summary>
    public DiagnosisResult Diagnose(CancellationToken cancel = default) => Diagnoser.Run(Options, Hooks, cancel);

    /// <summary>
    /// The doctor on a fit of the arrays (see <see cref="Fit(double[,], double[], CancellationToken)"/>): diagnoses it,
    /// replays each candidate fix with the same seed and rows, keeps a fix only when its replay passes the acceptance
    /// test, and repeats from the kept replay until the fit is good or nothing passes (at most 3 rounds, as the command).
    /// <see cref="DoctorReport.FinalOptions"/> fit the same arrays as the final run did. Cancelled, it returns what had
    /// finished, marked <see cref="DoctorReport.Interrupted"/>. <see cref="Hooks"/> are not used: the replays run side by side.
    /// </summary>
    public DoctorReport Doctor(double[,] x, double[] y, CancellationToken cancel = default) =>
        DoctorReports.Run(ForArrays(ArrayRows.Of(x, y)), cancel);

    /// <inheritdoc cref="Doctor(double[,], double[], CancellationToken)"/>
    public DoctorReport Doctor(double[,] x, double[,] y, CancellationToken cancel = default) =>
        DoctorReports.Run(ForArrays(ArrayRows.Of(x, y)), cancel);

    /// <summary>The doctor on a fit of the target the options describe (see <see cref="Fit(CancellationToken)"/>), as
    /// <c>neuralfit doctor</c> runs it.</summary>
    public DoctorReport Doctor(CancellationToken cancel = default) => DoctorReports.Run(RunConfig.From(ConfigReader.Check(Options)), cancel);

    RegressionModel FitRows(Targets.Datasets.Dataset rows, CancellationToken cancel) => Model(FitRunner.Run(ForArrays(rows), Hooks, cancel));

    static RegressionModel Model(FitResult fit) => RegressionModel.Of(fit);

    /// <summary>The run of the arrays: the options checked as a file's are, the rows in place of a data file.</summary>
    RunConfig ForArrays(Targets.Datasets.Dataset rows)
    {
        var o = Options;
        foreach (var (set, property) in new (bool, string)[]
                 {
                     (o.Target is not null, nameof(o.Target)), (o.Domain is not null, nameof(o.Domain)), (o.Data is not null, nameof(o.Data)),
                     (o.TargetColumn is not null, nameof(o.TargetColumn)), (o.InputColumns is not null, nameof(o.InputColumns)),
                     (o.DropColumns is not null, nameof(o.DropColumns)), (o.EvalDomain is not null, nameof(o.EvalDomain)),
                 })
            if (set) throw new InputError($"FitOptions.{property} describes a target or its columns; Fit(x, y) fits the arrays it is given: leave it null");
        if (o.Checkpoint is not null)
            throw new InputError("FitOptions.Checkpoint: a checkpoint is resumed by `neuralfit fit --resume`, which reads its data from a file; a fit of arrays cannot be resumed from one");
        return RunConfig.From(ConfigReader.Check(o)) with { Data = ArrayRows.Label, Rows = rows };
    }
}
