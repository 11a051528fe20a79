using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Training;

/// <summary>
/// The state of one run of a step optimizer: network, workspace, gradient, optimizer, schedule, data, and the step
/// count. Everything is allocated here, before the loop, so a step allocates nothing. Whole-batch solvers have their
/// own session (<see cref="SolverSession{T}"/>); observers see either as an <see cref="IRunState{T}"/>.
/// </summary>
internal sealed class TrainingSession<T> : IRestorableRun<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <param name="segments">Let the kernel plan run a one-input ReLU-family network's first two layers segment by
    /// segment where that is faster (see <see cref="KernelPlan{T}"/>); false runs every layer as a product.</param>
    /// <param name="segmentsAlways">Run the segments on every batch where they apply, whatever the cost model says
    /// (the benchmark cases that name that path).</param>
    public TrainingSession(Mlp<T> network, IBatchSource<T> batches, IStepOptimizer<T> optimizer, Schedule schedule,
        int totalSteps, double? clipNorm = null, bool segments = true, bool segmentsAlways = false)
    {
        Network = network;
        Batches = batches;
        Optimizer = optimizer;
        Schedule = schedule;
        TotalSteps = totalSteps;
        ClipNorm = clipNorm;
        Workspace = new Workspace<T>(network.Shape, batches.BatchSize, new KernelPlanInputs { Training = true, Segments = segments, SegmentsAlways = segmentsAlways && segments });
        Gradient = new T[network.Shape.ParameterCount];
        if (Workspace.Plan.DataParallel) _chunks = new DataParallel<T>(network, Workspace);
    }

    readonly DataParallel<T>? _chunks;

    public Mlp<T> Network { get; }
    public IBatchSource<T> Batches { get; }
    public IStepOptimizer<T> Optimizer { get; }
    public Schedule Schedule { get; }
    public Workspace<T> Workspace { get; }

    /// <summary>dL/dθ at the last step, in the parameters' layout.</summary>
    public T[] Gradient { get; }

    public double? ClipNorm { get; }

    /// <summary>Cores a step may use for a batch the plan cuts into chunks (see <see cref="DataParallel{T}"/>); the
    /// numbers do not depend on it.</summary>
    public int Threads { get; set; } = 1;

    public int TotalSteps { get; set; }

    /// <summary>Updates applied so far.</summary>
    public int Step { get; set; }

    public StopReason? StopReason { get; set; }
    public string? StopDetail { get; private set; }

    /// <summary>The first request wins: a later observer cannot overwrite why training stopped.</summary>
    public void RequestStop(StopReason reason, string? detail = null)
    {
        if (StopReason is not null) return;
        StopReason = reason;
        StopDetail = detail;
    }

    /// <summary>Forward, loss, backward on the batch in the workspace, into <see cref="Gradient"/>; returns the batch loss.</summary>
    public double LossAndGradient(int n)
    {
        if (_chunks is not null && n == Workspace.Capacity && Workspace.Plan.DataParallel) // the plan says no once dropout is on
            return _chunks.LossAndGradient(n, Gradient, Threads);
        int outputs = n * Network.Shape.Outputs;
        return StepGradient.Run(Network, Workspace, n, Gradient, T.CreateChecked(2.0 / outputs)) / outputs;
    }

    IReadOnlyList<T[]> IRestorableRun<T>.StateVectors => Optimizer.StateVectors;
    long IRestorableRun<T>.StateSteps => Optimizer.StepCount;
    void IRestorableRun<T>.StateRestored(long steps) => Optimizer.RestoreStepCount(steps);
    Schedule? IRestorableRun<T>.Schedule => Schedule;
    void IRestorableRun<T>.ScaleLearningRate(double factor) => Schedule.RateScale *= factor;

    /// <summary>Scales the gradient down to <see cref="ClipNorm"/> when its norm exceeds it.</summary>
    public void ClipGradient()
    {
        if (ClipNorm is not double max) return;
        double norm = GradientNorm();
        if (norm <= max || !double.IsFinite(norm)) return;
        T scale = T.CreateChecked(max / norm);
        for (int i = 0; i < Gradient.Length; i++) Gradient[i] *= scale;
    }

    public double GradientNorm()
    {
        double sum = 0;
        foreach (var g in Gradient) sum += double.CreateTruncating(g * g);
        return Math.Sqrt(sum);
    }
}
