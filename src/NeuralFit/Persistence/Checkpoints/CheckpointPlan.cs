using NeuralFit.Configuration;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>Where and how often a run keeps checkpoints, and the checkpoint it continues from.</summary>
internal sealed record CheckpointPlan
{
    /// <summary>The folder for periodic checkpoints and the final one; null: a checkpoint is written only when
    /// training is interrupted, into <see cref="InterruptFolder"/>.</summary>
    public string? Folder { get; init; }

    public int Every { get; init; } = Settings.DefaultCheckpointEvery;

    public CheckpointState? ResumeFrom { get; init; }

    /// <summary>The folder <see cref="ResumeFrom"/> was read from: the one folder a run may write that already holds a checkpoint.</summary>
    public string? ResumeFolder { get; init; }

    /// <summary>The lock of <see cref="Folder"/>, when the caller took it before reading the checkpoint there.</summary>
    public CheckpointLock? HeldLock { get; init; }

    /// <summary>Where an interrupted run without a <see cref="Folder"/> saves its checkpoint (made when needed).</summary>
    public string? InterruptFolder { get; init; }

    /// <summary>The plan a configuration asks for: its checkpoint folder and period, if any.</summary>
    public static CheckpointPlan For(RunConfig c) =>
        new() { Folder = c.Checkpoint, Every = c.CheckpointEvery ?? Settings.DefaultCheckpointEvery };
}
