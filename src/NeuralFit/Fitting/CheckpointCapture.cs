using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Sampling;
using NeuralFit.Training.Observers;
using NeuralFit.Training;

namespace NeuralFit.Fitting;

/// <summary>Takes a <see cref="CheckpointState"/> from a run between two steps, and puts one back before training.</summary>
internal static class CheckpointCapture
{
    public static CheckpointState Take<T>(RunContext<T> run, string dataFingerprint, StopReason? reason)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = run.Session;
        var guard = run.Divergence;
        return new CheckpointState
        {
            Config = run.Config,
            Step = s.Step,
            StopReason = reason,
            DataFingerprint = dataFingerprint,
            Normalization = run.Problem.Normalization,
            Parameters = ToDouble(s.Network.Parameters),
            Optimizer = new OptimizerState(s.StateSteps, run.Solver is { } solver
                ? solver.ExactState // float64 whatever the precision, with the solver's own copy of the parameters
                : s.StateVectors.Select(v => ToDouble(v)).ToArray()),
            Schedule = run.Steps is { } steps ? Schedule(steps.Schedule.State, steps.Schedule.RateScale) : null, // a solver has neither
            Batches = run.Steps is { } batched ? Restorable(batched).SaveState() : null,
            DropoutRng = run.Steps?.Workspace.DropoutRng?.GetState(),
            Display = run.Observers.OfType<DisplayObserver<T>>().FirstOrDefault()?.State is { } d ? new DisplayState(d.Rng, d.FirstLoss) : null,
            History = new HistoryState(run.History.Interval, run.History.Points.ToArray(), run.History.Pending.Sum, run.History.Pending.Count),
            Divergence = new DivergenceState(guard.FirstLoss, guard.Rollbacks.ToArray(), Snapshot(guard.LastGood),
                guard.PendingCandidate is { } candidate ? Snapshot(candidate) : null, guard.Stretch.Sum, guard.Stretch.Count, guard.Stretch.LowestMean),
            Best = run.Best.Step is int bestStep ? new BestState(bestStep, run.Best.Loss, ToDouble(run.Best.Parameters)) : null,
            BestCandidate = run.Best.Candidate is var (step, loss) ? new BestState(step, loss, ToDouble(run.Best.CandidateParameters)) : null,
            Validation = run.Validation?.State is var (last, lowest, at, since, check, weights)
                ? new ValidationState(last, lowest, at, since, check, ToDouble(weights)) : null,
        };
    }

    /// <summary>Puts the state back into a run built from the checkpoint's configuration, before training starts.</summary>
    public static void Restore<T>(RunContext<T> run, CheckpointState c, string dataFingerprint)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = run.Session;
        if (c.DataFingerprint != dataFingerprint)
            throw new InputError("the training data differ from the checkpoint's (was the data file changed, or the checkpoint made by another version?); start a new run");
        if (c.Normalization.Target != run.Problem.Normalization.Target || !c.Normalization.Inputs.SequenceEqual(run.Problem.Normalization.Inputs))
            throw new InputError("the normalisation fitted on the training data differs from the checkpoint's; start a new run");
        var solver = run.Solver;
        if (c.Parameters.Length != s.Network.Parameters.Length
            || c.Optimizer.Vectors.Count != (solver?.ExactStateCount ?? s.StateVectors.Count)
            || c.Optimizer.Vectors.Any(v => v.Length != s.Network.Parameters.Length))
            throw new InputError("the checkpoint's parameters do not fit the network of its configuration");
        if ((c.DropoutRng is null) != (run.Steps?.Workspace.DropoutRng is null))
            throw new InputError("the checkpoint's dropout state does not match its configuration");
        if (run.Steps is not null && (c.Schedule is null || c.Batches is null))
            throw new InputError("the checkpoint lacks the schedule or the batches' place of a step optimizer's run");

        SessionSnapshot<T>.Fill(s.Network.Parameters, c.Parameters);
        if (solver is not null) solver.RestoreExactState(c.Optimizer.Vectors);
        else
        {
            for (int i = 0; i < c.Optimizer.Vectors.Count; i++) SessionSnapshot<T>.Fill(s.StateVectors[i], c.Optimizer.Vectors[i]);
            s.StateRestored(c.Optimizer.Steps);
        }
        if (run.Steps is { } steps)
        {
            steps.Schedule.Restore((c.Schedule!.PlateauFactor, c.Schedule.Best, c.Schedule.SinceBest));
            steps.Schedule.RateScale = c.Schedule.RateScale;
            Restorable(steps).RestoreState(c.Batches!);
            if (c.DropoutRng is { } dropout) steps.Workspace.DropoutRng!.SetState(dropout);
        }
        if (c.Display is { } shown && run.Observers.OfType<DisplayObserver<T>>().FirstOrDefault() is { } display) display.Restore((shown.Rng, shown.FirstLoss));
        run.History.Restore(c.History.Points, (c.History.PendingSum, c.History.PendingCount));
        var d = c.Divergence;
        bool scheduled = run.Steps is not null;
        run.Divergence.Restore(d.FirstLoss, (d.StretchSum, d.StretchCount, d.LowestMean), d.Rollbacks,
            snapshot => LoadSnapshot(snapshot, d.LastGood, scheduled), d.Candidate is { } candidate ? snapshot => LoadSnapshot(snapshot, candidate, scheduled) : null);
        run.Best.Restore(c.Best is { } b ? (b.Step, b.Loss, b.Parameters) : null,
            c.BestCandidate is { } bc ? (bc.Step, bc.Loss, bc.Parameters) : null, s.Network.Parameters.Length);
        if ((c.Validation is null) != (run.Validation is null))
            throw new InputError("the checkpoint's validation state does not match its configuration");
        if (c.Validation is { } v)
        {
            if (v.Best.Length != s.Network.Parameters.Length) throw new InputError("the checkpoint's validation weights do not fit the network");
            var weights = new T[v.Best.Length];
            SessionSnapshot<T>.Fill(weights, v.Best);
            run.Validation!.Restore(v.LastLoss, v.BestLoss, v.BestStep, v.SinceBest, v.LastCheck, weights);
        }
        s.Step = c.Step;
    }

    /// <summary>SHA-256 of the training and validation samples, as the run built them from its configuration.</summary>
    public static string DataFingerprint(Problem p)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var set in new[] { p.Training, p.Validation })
        {
            hash.AppendData(MemoryMarshal.AsBytes(set.X.Span));
            hash.AppendData(MemoryMarshal.AsBytes(set.Y.Span));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>A step optimizer's batch source, which must be able to save its place (every built-in source can).</summary>
    public static IRestorableBatchSource Restorable<T>(TrainingSession<T> s) where T : unmanaged, IFloatingPointIeee754<T> =>
        s.Batches as IRestorableBatchSource
        ?? throw new InputError($"checkpoints are not available with this training data source ({s.Batches.GetType().Name})");

    // A checkpoint written under another divergence policy may lack the optimizer part the guard now wants (or, for a
    // run with a schedule, the schedule's); then the guard starts from the resumed state itself, as a fresh run
    // starts from its initial one.
    static void LoadSnapshot<T>(SessionSnapshot<T> snapshot, SnapshotState saved, bool scheduled) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (snapshot.WithOptimizer && (saved.Optimizer is null || (scheduled && saved.Schedule is null))) return;
        if (snapshot.WithOptimizer && saved.Optimizer!.Vectors.Count != snapshot.OptimizerVectors.Length)
            throw new InputError("the checkpoint's divergence snapshot does not fit the run of its configuration");
        snapshot.Load(saved.Step, saved.Parameters, saved.Optimizer?.Vectors ?? [], saved.Optimizer?.Steps ?? 0,
            scheduled && saved.Schedule is { } q ? (q.PlateauFactor, q.Best, q.SinceBest) : null);
    }

    static SnapshotState Snapshot<T>(SessionSnapshot<T> snapshot) where T : unmanaged, IFloatingPointIeee754<T> =>
        new(snapshot.Step, ToDouble(snapshot.Parameters),
            snapshot.WithOptimizer ? new OptimizerState(snapshot.OptimizerSteps, snapshot.OptimizerVectors.Select(v => ToDouble(v)).ToArray()) : null,
            snapshot.WithOptimizer && snapshot.ScheduleState is { } schedule ? Schedule(schedule, 1) : null);

    static ScheduleState Schedule((double PlateauFactor, double Best, int SinceBest) state, double rateScale) =>
        new(state.PlateauFactor, state.Best, state.SinceBest, rateScale);

    static double[] ToDouble<T>(ReadOnlySpan<T> values) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = double.CreateTruncating(values[i]);
        return result;
    }
}
