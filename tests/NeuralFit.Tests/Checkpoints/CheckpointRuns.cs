using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Results;
using NeuralFit.Fitting;
using NeuralFit.Training;

namespace NeuralFit.Tests.Checkpoints;

/// <summary>Small runs that are interrupted at a chosen step, resumed from their checkpoint, and compared.</summary>
static class CheckpointRuns
{
    /// <summary>A run small enough to train hundreds of times in a test, with every kind of state in play.</summary>
    public static RunConfig Small(Precision precision = Precision.Float32, SamplerKind sampler = SamplerKind.Uniform) => new()
    {
        Target = "sin(3*x) + 0.5*x", Domain = [new(-1, 1)], Layers = [12, 6], Steps = 600, BatchSize = 32, Samples = 200,
        EvalPoints = 101, Precision = precision, Sampler = sampler, Seed = 7,
    };

    public static string NewFolder() => Directory.CreateTempSubdirectory("nf-ck-").FullName;

    /// <summary>Runs <paramref name="config"/> with checkpoints in <paramref name="folder"/>, interrupted after <paramref name="stopAt"/> steps.</summary>
    public static FitResult RunUntil(RunConfig config, string folder, int stopAt, int every = 50)
    {
        using var cancel = new CancellationTokenSource();
        var hooks = new FitHooks { Extensions = [new RunCheckpoints(new CheckpointPlan { Folder = folder, Every = every }), new StopAt(stopAt, cancel)] };
        return FitRunner.Run(config, hooks, cancel.Token);
    }

    /// <summary>Continues the run in <paramref name="folder"/>, optionally interrupting it again.</summary>
    public static FitResult Resume(string folder, int? stopAt = null, Func<RunConfig, RunConfig>? change = null, params string[] changedKeys)
    {
        var state = CheckpointFolder.Load(folder);
        var (config, plan) = Resumption.Continue(folder, state, change?.Invoke(state.Config) ?? state.Config, changedKeys);
        using var cancel = new CancellationTokenSource();
        IRunExtension[] extensions = stopAt is int k ? [new RunCheckpoints(plan), new StopAt(k, cancel)] : [new RunCheckpoints(plan)];
        return FitRunner.Run(config, new FitHooks { Extensions = extensions }, cancel.Token);
    }

    /// <summary>Everything a run's numbers are: parameters bit for bit, history, evaluation, stop reason.</summary>
    public static void AssertSameRun(FitResult expected, FitResult actual)
    {
        var a = expected.Model.ParametersAsDouble();
        var b = actual.Model.ParametersAsDouble();
        Assert.Equal(a.Length, b.Length);
        var differing = Enumerable.Range(0, a.Length).Where(i => BitConverter.DoubleToInt64Bits(a[i]) != BitConverter.DoubleToInt64Bits(b[i])).ToList();
        if (differing.Count > 0)
            Assert.Fail($"{differing.Count} of {a.Length} parameters differ, e.g. [{differing[0]}]: {a[differing[0]]:R} vs {b[differing[0]]:R} " +
                        $"(stopped {expected.StopReason} / {actual.StopReason}: {expected.StopDetail} / {actual.StopDetail}; notes {string.Join("; ", expected.Notes)} / {string.Join("; ", actual.Notes)})");
        Assert.Equal(expected.Steps, actual.Steps);
        Assert.Equal(expected.StopReason, actual.StopReason);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(ResultJson.Evaluation(expected.Evaluation).ToJsonString(), ResultJson.Evaluation(actual.Evaluation).ToJsonString());
        Assert.Equal(expected.Notes, actual.Notes);
    }

    /// <summary>Cancels the run after a given step, as a signal would.</summary>
    sealed class StopAt(int step, CancellationTokenSource cancel) : AtStep(step, cancel.Cancel);
}

/// <summary>Does something after a given step, once every other observer has seen it.</summary>
class AtStep(int step, Action action) : IRunExtension
{
    public void Attach<T>(RunContext<T> run) where T : unmanaged, IFloatingPointIeee754<T> => run.Observers.Add(new Observer<T>(step, action));

    sealed class Observer<T>(int step, Action action) : ITrainingObserver<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public void AfterStep(IRunState<T> s, double loss)
        {
            if (s.Step == step) action();
        }
    }
}
