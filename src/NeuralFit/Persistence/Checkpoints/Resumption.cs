using NeuralFit.Configuration;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// Continuing a run from its checkpoint: the checkpoint's configuration, with only the settings changed that steer
/// the rest of the run or its evaluation. Anything that shaped the steps already taken (network, optimizer, data,
/// seed...) stays as it was, or the run would not be the same run.
/// </summary>
internal static class Resumption
{
    public static readonly IReadOnlySet<string> ChangeableKeys = new HashSet<string>
    {
        "steps", "checkpoint", "checkpointEvery", "maxSeconds", "maxMemory", "onDivergence", "displayStep",
        "goalMse", "goalMaxError", "evalDomain", "evalPoints",
    };

    /// <summary>The configuration and checkpoint plan that continue <paramref name="state"/>, read from <paramref name="folder"/>.</summary>
    /// <param name="config">The checkpoint's configuration with the caller's changes applied.</param>
    /// <param name="changedKeys">The keys the caller changed (flags).</param>
    /// <param name="held">The lock of <paramref name="folder"/>, when the caller took it before reading the checkpoint.</param>
    public static (RunConfig Config, CheckpointPlan Plan) Continue(string folder, CheckpointState state, RunConfig config, IEnumerable<string> changedKeys,
        CheckpointLock? held = null)
    {
        foreach (string key in changedKeys)
            if (!ChangeableKeys.Contains(key))
                throw new InputError($"{Settings.ByKey[key].Flag} cannot change when resuming: the run goes on with its checkpoint's settings " +
                                     $"(only {string.Join(", ", ChangeableKeys.Select(k => Settings.ByKey[k].Flag))} may change); start a new run to change it");
        if (config.Steps < state.Step)
            throw new InputError($"--steps: the checkpoint is at step {state.Step:N0} already; give at least that many steps");
        bool folderGiven = changedKeys.Contains("checkpoint");
        config = config with { Checkpoint = folderGiven ? config.Checkpoint : folder };
        return (config, new CheckpointPlan
        {
            Folder = config.Checkpoint, Every = config.CheckpointEvery ?? Settings.DefaultCheckpointEvery, ResumeFrom = state,
            ResumeFolder = folder, HeldLock = folderGiven ? null : held,
        });
    }
}
