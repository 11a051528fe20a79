using NeuralFit.Configuration;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Observers;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// Everything a run needs to go on exactly where it stopped: the configuration, the parameters, the optimizer's and
/// schedule's state, every random stream's position, the batch source's place in its epoch, the normaliser, the
/// loss history, the divergence guard's last good state and the best model so far. Vectors are held as float64
/// whatever the precision: float32 values convert to float64 and back exactly. Written and read by
/// <see cref="CheckpointJson"/>; captured from and restored into a run by <c>Fitting.CheckpointCapture</c>.
/// </summary>
internal sealed record CheckpointState
{
    public const string FormatName = "neuralfit-checkpoint";
    public const int FormatVersion = 1;

    /// <summary>The effective configuration the run was started with (after defaults).</summary>
    public required RunConfig Config { get; init; }

    /// <summary>Updates applied when the checkpoint was written.</summary>
    public required int Step { get; init; }

    /// <summary>Why training had stopped when the checkpoint was written, or null for a periodic one.</summary>
    public StopReason? StopReason { get; init; }

    /// <summary>SHA-256 of the training and validation samples: resuming on other data is refused.</summary>
    public required string DataFingerprint { get; init; }

    public required Normalization Normalization { get; init; }
    public required double[] Parameters { get; init; }
    public required OptimizerState Optimizer { get; init; }

    /// <summary>The schedule's state: a step optimizer's run only (a whole-batch solver chooses its own steps).</summary>
    public ScheduleState? Schedule { get; init; }

    /// <summary>Where the batch source is: a step optimizer's run only (a whole-batch solver uses the whole training set).</summary>
    public BatchSourceState? Batches { get; init; }
    public ulong[]? DropoutRng { get; init; }
    public DisplayState? Display { get; init; }
    public required HistoryState History { get; init; }
    public required DivergenceState Divergence { get; init; }
    public BestState? Best { get; init; }

    /// <summary>A better model awaiting the next step's confirmation (see <see cref="BestModelKeeper{T}"/>).</summary>
    public BestState? BestCandidate { get; init; }

    /// <summary>The validation checks' state (early stopping), when the run has a validation set.</summary>
    public ValidationState? Validation { get; init; }
}

/// <param name="LastCheck">The step of the latest check (−1 before the first).</param>
/// <param name="Best">The weights at the lowest validation loss, which early stopping puts back.</param>
internal sealed record ValidationState(double LastLoss, double BestLoss, int BestStep, int SinceBest, int LastCheck, double[] Best);

/// <param name="Steps">The optimizer's own step count (Adam's bias correction, SGD's first-step momentum).</param>
/// <param name="Vectors">Its state vectors (momentum, moment estimates), in the parameters' layout.</param>
internal sealed record OptimizerState(long Steps, IReadOnlyList<double[]> Vectors);

internal sealed record ScheduleState(double PlateauFactor, double Best, int SinceBest, double RateScale);

internal sealed record DisplayState(ulong[] Rng, double FirstLoss);

/// <param name="Interval">Steps between history records when the checkpoint was written (a resumed run with more steps
/// records at its own interval).</param>
internal sealed record HistoryState(int Interval, IReadOnlyList<HistoryPoint> Points, double PendingSum, int PendingCount);

/// <param name="LastGood">What a rollback returns to, or a stop falls back on before any best model exists.</param>
/// <param name="Candidate">A state awaiting the next step's confirmation (see <see cref="DivergenceGuard{T}"/>).</param>
/// <param name="StretchSum">The losses since the last candidate step, their count, and the lowest mean of such a stretch.</param>
internal sealed record DivergenceState(double FirstLoss, IReadOnlyList<Rollback> Rollbacks, SnapshotState LastGood, SnapshotState? Candidate,
    double StretchSum, int StretchCount, double LowestMean);

/// <param name="Optimizer">Null when the guard keeps parameters only (divergence policy "stop").</param>
internal sealed record SnapshotState(int Step, double[] Parameters, OptimizerState? Optimizer, ScheduleState? Schedule);

internal sealed record BestState(int Step, double Loss, double[] Parameters);
