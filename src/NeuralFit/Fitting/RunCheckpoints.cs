using System.Numerics;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Training;

namespace NeuralFit.Fitting;

/// <summary>
/// Keeps checkpoints of a run: restores the one it resumes from before training, writes one every
/// <see cref="CheckpointPlan.Every"/> steps and one when training ends (into the interrupt folder if it was
/// interrupted without a folder), each with the best model so far. A write that fails during training is reported in
/// <see cref="Failures"/> and does not stop the run: losing one checkpoint is better than losing the run.
/// </summary>
internal sealed class RunCheckpoints(CheckpointPlan plan) : IRunExtension, IDisposable
{
    readonly List<string> _failures = [];
    CheckpointLock? _lock = plan.HeldLock;

    public CheckpointPlan Plan => plan;

    /// <summary>The folder and step of the last checkpoint written, if any.</summary>
    public string? LastFolder { get; private set; }
    public int? LastStep { get; private set; }
    public IReadOnlyList<string> Failures => _failures;

    public void Attach<T>(RunContext<T> run) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = run.Session;
        // Only the folder the run continues from may already hold a checkpoint: any other would be another run's.
        bool continuing = plan.ResumeFrom is not null && plan.Folder is { } f && (plan.ResumeFolder is null || SameFolder(f, plan.ResumeFolder));
        if (plan.Folder is { } folder) CheckpointFolder.Prepare(folder, resuming: continuing);
        if (run.Steps is { } steps) CheckpointCapture.Restorable(steps);
        CheckpointFolder.CheckSize(s.Network.Parameters.Length, s.StateVectors.Count, System.Runtime.CompilerServices.Unsafe.SizeOf<T>());
        // Hashed when a checkpoint is first taken or compared, not for every run: most runs write none, and hashing a large
        // training set costs time and loads the system's cryptography library (about 5 MB resident) for nothing.
        var fingerprint = new Lazy<string>(() => CheckpointCapture.DataFingerprint(run.Problem), LazyThreadSafetyMode.None);
        if (plan.ResumeFrom is { } state) CheckpointCapture.Restore(run, state, fingerprint.Value);
        if (plan.Folder is { } mine && _lock is null)
        {
            _lock = CheckpointFolder.Take(mine, "--checkpoint");
            // Checked again now that no other run can write here: one may have finished here since the first check.
            if (!continuing)
                try { CheckpointFolder.CheckHoldsNoCheckpoint(mine); }
                catch { Dispose(); throw; }
        }
        var writer = new Writer<T>(this, run, fingerprint);
        // Periodic checkpoints are taken after every observer has seen the step; the final one before any observer's
        // end-of-run work (the history's last partial record), which a continued run must not find already done.
        run.Observers.Add(writer);
        run.Observers.Insert(0, new EndCapture<T>(writer));
    }

    /// <summary>Lets the folder go (its lock), once the run's last checkpoint is written.</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    static bool SameFolder(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
            OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    sealed class EndCapture<T>(Writer<T> writer) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void AfterStep(IRunState<T> s, double loss) { }
        public void OnEnd(IRunState<T> s) => writer.CaptureFinal(s);
    }

    sealed class Writer<T>(RunCheckpoints owner, RunContext<T> run, Lazy<string> fingerprint) : ITrainingObserver<T>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int _bestVersionWritten = -1;
        CheckpointState? _final;

        public void AfterStep(IRunState<T> s, double loss)
        {
            if (owner.Plan.Folder is { } folder && s.Step % owner.Plan.Every == 0 && s.StopReason is null) Write(folder, Capture(null));
        }

        public void CaptureFinal(IRunState<T> s)
        {
            if (FinalFolder(s) is not null) _final = Capture(s.StopReason);
        }

        /// <summary>The folder the final checkpoint goes to: the run's, or a new one if it was interrupted without one.</summary>
        string? FinalFolder(IRunState<T> s) => owner.Plan.Folder ?? (s.StopReason == StopReason.Cancelled ? owner.Plan.InterruptFolder : null);

        public void OnEnd(IRunState<T> s)
        {
            if (FinalFolder(s) is not { } folder) return;
            try
            {
                if (owner.Plan.Folder is null) owner._lock = TakeInterruptFolder(folder);
                _bestVersionWritten = -1; // the final best model is written whatever was written before
                Write(folder, _final);
            }
            catch (InputError e) { owner._failures.Add(e.Message); }
            finally { owner.Dispose(); }
        }

        /// <summary>The new folder an interrupted run without one is saved in: made, locked, and empty of any checkpoint.</summary>
        static CheckpointLock TakeInterruptFolder(string folder)
        {
            try { Directory.CreateDirectory(folder); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new InputError($"cannot create '{folder}': {e.Message}"); }
            var held = CheckpointFolder.Take(folder, "the interrupted run's folder");
            try { CheckpointFolder.CheckHoldsNoCheckpoint(folder); }
            catch { held.Dispose(); throw; }
            return held;
        }

        /// <summary>
        /// The run's state now, or null (recorded as a failure) when some of it is not finite, as after a divergence
        /// the optimizer's state can be: a checkpoint is something to go on from, so the previous one is better kept.
        /// </summary>
        CheckpointState? Capture(StopReason? reason)
        {
            var s = run.Session;
            if (!Finite(s.Network.Parameters) || !s.StateVectors.All(v => Finite(v)))
            {
                owner._failures.Add($"the state at step {s.Step} is not finite; the previous checkpoint was kept");
                return null;
            }
            return CheckpointCapture.Take(run, fingerprint.Value, reason);
        }

        /// <summary>Writes the best model when it changed, then the checkpoint, if there is one to write.</summary>
        void Write(string folder, CheckpointState? state)
        {
            try
            {
                if (_bestVersionWritten != run.Best.Version || !File.Exists(CheckpointFolder.BestModelPath(folder)))
                {
                    BestModelFile.Write(CheckpointFolder.BestModelPath(folder), BestModel(), run.Config);
                    _bestVersionWritten = run.Best.Version;
                }
                if (state is null) return;
                CheckpointFolder.Save(folder, state);
                (owner.LastFolder, owner.LastStep) = (folder, state.Step);
            }
            catch (InputError e) { owner._failures.Add(e.Message); }
        }

        /// <summary>The best model kept so far; before the first one is confirmed, the current model if finite, else
        /// the divergence guard's last good one.</summary>
        SavedBestModel BestModel()
        {
            var (shape, normalization, precision) = (run.Session.Network.Shape, run.Problem.Normalization, run.Config.Precision);
            if (run.Best.Step is int step) return new SavedBestModel(shape, normalization, Doubles(run.Best.Parameters), step, run.Best.Loss, precision);
            var current = run.Session.Network.Parameters;
            return Finite(current)
                ? new SavedBestModel(shape, normalization, Doubles(current), run.Session.Step, double.NaN, precision)
                : new SavedBestModel(shape, normalization, Doubles(run.Divergence.LastGood.Parameters), run.Divergence.LastGood.Step, double.NaN, precision);
        }

        static bool Finite(ReadOnlySpan<T> values) => Training.Observers.BestModelKeeper<T>.AllFinite(values);

        static double[] Doubles(ReadOnlySpan<T> values)
        {
            var result = new double[values.Length];
            for (int i = 0; i < values.Length; i++) result[i] = double.CreateTruncating(values[i]);
            return result;
        }
    }
}
