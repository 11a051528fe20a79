using NeuralFit.Configuration;
using NeuralFit.Diagnostics.Probes;
using NeuralFit.Networks;
using NeuralFit.Fitting;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Diagnostics;

/// <summary>Everything the checks look at: the configuration, the data, the probe snapshots and the outcome.</summary>
internal sealed record RunTrace(RunConfig Config, FitResult Result, IReadOnlyList<ProbeSnapshot> Snapshots, int?[][] DeadSince, DataFacts Data)
{
    /// <summary>What the target asks of a network (expressions only).</summary>
    public TargetDetail? Target { get; init; }

    /// <summary>The handed-over model's error on the training and validation sets, and what early stopping did.</summary>
    public SplitErrors? Errors { get; init; }

    /// <summary>
    /// A fit that explains less than 99 % of the target's variance on the evaluation set (R² &lt; 0.99) has failed
    /// for any practical use, unless the data's own noise allows no better (<see cref="AtNoiseFloor"/>); so has one
    /// that missed a requested goal or diverged. Error-level findings are the ones that explain a failed fit.
    /// </summary>
    public bool FitFailed => Result.MissedGoal || Result.StopReason == StopReason.Diverged || !(Result.Evaluation.R2 >= 0.99) && !AtNoiseFloor;

    /// <summary>
    /// A fit whose error is above 3 % of the target's spread (R² &lt; 0.999): usable, but worse than a network of this
    /// kind should reach on a smooth target. Symptoms that only matter when they cost accuracy (steep or saturated
    /// units, large early steps) are reported as warnings only for such fits.
    /// </summary>
    public bool FitPoor => FitFailed || !(Result.Evaluation.R2 >= 0.999) && !AtNoiseFloor;

    /// <summary>
    /// For a data file: the held-out error is down to the data's noise, judged as the verdict judges it
    /// (<see cref="FitResult.AtNoiseFloor"/>), so the diagnosis never calls a fit at the noise that the verdict says
    /// missed it. Such a fit has taken all the data can give.
    /// </summary>
    public bool AtNoiseFloor => Result.AtNoiseFloor;

    /// <summary>For a data file: its noise, measured on the training rows by no model's fit (<see cref="FitResult.Noise"/>).</summary>
    public NeuralFit.Evaluation.LocalNoise? Noise => Result.Noise;

    /// <summary>L-BFGS and Levenberg–Marquardt: no learning rate, and steps that are large by design (a Gauss–Newton
    /// or quasi-Newton step jumps to the minimum of a local model), so update-size rules do not apply.</summary>
    public bool WholeBatch => Config.Optimizer.IsWholeBatch();

    public ProbeSnapshot Initial => Snapshots[0];
    public ProbeSnapshot Final => Snapshots[^1];
    public ProbeSnapshot? At(int step) => Snapshots.FirstOrDefault(s => s.Step == step);
    public Activation Activation => Config.Activation;
    public IReadOnlyList<HistoryPoint> History => Result.History;
    public Evaluation.Evaluation Evaluation => Result.Evaluation;

    /// <summary>Snapshots after training started.</summary>
    public IEnumerable<ProbeSnapshot> Trained => Snapshots.Where(s => s.Step > 0);

    /// <summary>The hidden-layer initialiser this activation is designed for (He for the ReLU family, Glorot otherwise).</summary>
    public string RecommendedInit => Activation is Activation.Relu or Activation.LeakyRelu or Activation.Elu or Activation.Gelu or Activation.Silu
        ? "he-normal" : "glorot-uniform";
}
