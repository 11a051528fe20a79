using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Runs;
using NeuralFit.Training;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>Where and how often a run keeps checkpoints, and the checkpoint it continues from.</summary>
public sealed record CheckpointPlan
{
    /// <summary>The folder for periodic checkpoints and the final one; null: a checkpoint is written only when
    /// training is interrupted, into <see cref="InterruptFolder"/>.</summary>
    public string? Folder { get; init; }

    public int Every { get; init; } = Settings.DefaultCheckpointEvery;

    public CheckpointState? ResumeFrom { get; init; }

    /// <summary>Where an interrupted run without a <see cref="Folder"/> saves its checkpoint (made when needed).</summary>
    public string? InterruptFolder { get; init; }

    /// <summary>The plan a configuration asks for: its checkpoint folder and period, if any.</summary>
    public static CheckpointPlan For(RunConfig c) =>
        new() { Folder = c.Checkpoint, Every = c.CheckpointEvery ?? Settings.DefaultCheckpointEvery };
}

/// <summary>
/// Keeps checkpoints of a run: restores the one it resumes from before training, writes one every
/// <see cref="CheckpointPlan.Every"/> steps and one when training ends (into the interrupt folder if it was
/// interrupted without a folder), each with the best model so far. A write that fails during training is reported in
/// <see cref="Failures"/> and does not stop the run: losing one checkpoint is better than losing the run.
/// </summary>
public sealed class RunCheckpoints(CheckpointPlan plan) : IRunExtension
{
    readonly List<string> _failures = [];

    public CheckpointPlan Plan => plan;

    /// <summary>The folder and step of the last checkpoint written, if any.</summary>
    public string? LastFolder { get; private set; }
    public int? LastStep { get; private set; }
    public IReadOnlyList<string> Failures => _failures;

    public void Attach<T>(RunContext<T> run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = run.Session;
        if (plan.Folder is { } folder) CheckpointFolder.Prepare(folder, resuming: plan.ResumeFrom is not null);
        CheckpointCapture.Restorable(s);
        CheckpointFolder.CheckSize(s.Network.Parameters.Length, s.Optimizer.StateVectors.Count, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        string fingerprint = CheckpointCapture.DataFingerprint(run.Problem);
        if (plan.ResumeFrom is { } state) CheckpointCapture.Restore(run, state, fingerprint);
        var writer = new Writer<T>(this, run, fingerprint);
        // Periodic checkpoints are taken after every observer has seen the step; the final one before any observer's
        // end-of-run work (the history's last partial record), which a continued run must not find already done.
        run.Observers.Add(writer);
        run.Observers.Insert(0, new EndCapture<T>(writer));
    }

    sealed class EndCapture<T>(Writer<T> writer) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void AfterStep(TrainingSession<T> s, double loss) { }
        public void OnEnd(TrainingSession<T> s) => writer.CaptureFinal(s);
    }

    sealed class Writer<T>(RunCheckpoints owner, RunContext<T> run, string fingerprint) : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int _bestVersionWritten = -1;
        CheckpointState? _final;

        public void AfterStep(TrainingSession<T> s, double loss)
        {
            if (owner.Plan.Folder is { } folder && s.Step % owner.Plan.Every == 0 && s.StopReason is null) Write(folder, Capture(null));
        }

        public void CaptureFinal(TrainingSession<T> s) => _final = Capture(s.StopReason);

        public void OnEnd(TrainingSession<T> s)
        {
            string? folder = owner.Plan.Folder ?? (s.StopReason == StopReason.Cancelled ? owner.Plan.InterruptFolder : null);
            if (folder is null || _final is null) return;
            try { Directory.CreateDirectory(folder); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { owner._failures.Add($"cannot create '{folder}': {e.Message}"); return; }
            _bestVersionWritten = -1; // the final best model is written whatever was written before
            Write(folder, _final);
        }

        /// <summary>The run's state now, or null (recorded as a failure) when the weights are not finite: a checkpoint
        /// is something to go on from, so the previous one is better kept.</summary>
        CheckpointState? Capture(StopReason? reason)
        {
            if (!Training.Observers.BestModelKeeper<T>.AllFinite(run.Session.Network.Parameters))
            {
                owner._failures.Add($"the weights at step {run.Session.Step} are not finite; the previous checkpoint was kept");
                return null;
            }
            return CheckpointCapture.Take(run, fingerprint, reason);
        }

        void Write(string folder, CheckpointState? state)
        {
            if (state is null) return;
            try
            {
                if (_bestVersionWritten != run.Best.Version || !File.Exists(CheckpointFolder.BestModelPath(folder)))
                {
                    BestModelFile.Write(CheckpointFolder.BestModelPath(folder), BestModel(state));
                    _bestVersionWritten = run.Best.Version;
                }
                CheckpointFolder.Save(folder, state);
                (owner.LastFolder, owner.LastStep) = (folder, state.Step);
            }
            catch (InputError e) { owner._failures.Add(e.Message); }
        }

        /// <summary>The best model kept so far, or the current one before the first history record.</summary>
        SavedModel BestModel(CheckpointState state)
        {
            var shape = run.Session.Network.Shape;
            return state.Best is { } best
                ? new SavedModel(shape, state.Normalization, best.Parameters, best.Step, best.Loss, state.Config.Precision)
                : new SavedModel(shape, state.Normalization, state.Parameters, state.Step, double.NaN, state.Config.Precision);
        }
    }
}
