using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Training;
using NeuralFit.Training.Observers;
using NeuralFit.Tests.Checkpoints;

namespace NeuralFit.Tests.Training;

/// <summary>Divergence stops a run with the step and the best model, or, with rollback, is recovered from.</summary>
public class DivergenceTests
{
    /// <summary>Plain SGD at a rate this network cannot take: the loss explodes within a dozen steps.</summary>
    static RunConfig Exploding(double learningRate, DivergencePolicy policy) =>
        CheckpointRuns.Small() with { Optimizer = OptimizerKind.Sgd, LearningRate = learningRate, OnDivergence = policy, Steps = 400 };

    [Fact]
    public void StopReportsTheStepAndKeepsAFiniteModel()
    {
        var r = FitRunner.Run(Exploding(0.5, DivergencePolicy.Stop));
        Assert.Equal(StopReason.Diverged, r.StopReason);
        Assert.Equal(11, r.Steps);
        Assert.Contains("the loss exploded to", r.StopDetail);
        Assert.Contains("at step 11", r.StopDetail);
        Assert.Contains("(the lowest loss) were kept", r.StopDetail);
        Assert.Equal(0, r.Evaluation.NonFiniteOutputs);
        Assert.True(r.Evaluation.Mse < 10, $"the kept model's grid MSE is {r.Evaluation.Mse}");
    }

    [Fact]
    public void TheModelKeptIsOneWhoseOwnLossWasMeasured()
    {
        // At rate 10 the first update already explodes the weights: the only model worth keeping is the initial one.
        var diverged = FitRunner.Run(Exploding(10, DivergencePolicy.Stop));
        var initial = FitRunner.Run(Exploding(10, DivergencePolicy.Stop) with { Steps = 0 });
        Assert.Equal(StopReason.Diverged, diverged.StopReason);
        Assert.Equal(initial.Model.ParametersAsDouble(), diverged.Model.ParametersAsDouble());
    }

    [Theory]
    [InlineData(OptimizerKind.Sgd, 0.5)]
    [InlineData(OptimizerKind.Momentum, 5.0)]
    [InlineData(OptimizerKind.RmsProp, 50.0)]
    public void ADivergedRunLeavesFilesThatLoad(OptimizerKind optimizer, double learningRate)
    {
        string folder = CheckpointRuns.NewFolder();
        var r = FitRunner.Run(Exploding(learningRate, DivergencePolicy.Stop) with { Optimizer = optimizer, Checkpoint = folder, CheckpointEvery = 2 });
        Assert.Equal(StopReason.Diverged, r.StopReason);
        Assert.InRange(global::NeuralFit.Persistence.Checkpoints.CheckpointFolder.Load(folder).Step, 0, r.Steps);
        var best = global::NeuralFit.Persistence.Checkpoints.BestModelFile.Read(global::NeuralFit.Persistence.Checkpoints.CheckpointFolder.BestModelPath(folder));
        Assert.Equal(r.Model.ParametersAsDouble(), best.Parameters);
    }

    [Fact]
    public void RollbackHalvesTheRateAndGoesOn()
    {
        var r = FitRunner.Run(Exploding(0.5, DivergencePolicy.Rollback));
        Assert.Equal(StopReason.Completed, r.StopReason);
        Assert.Equal(400, r.Steps);
        var notes = r.Notes.Where(n => n.Contains("rolled back")).ToList();
        Assert.Equal(2, notes.Count);
        Assert.StartsWith("the loss exploded to", notes[0]);
        Assert.Equal(0.5 / 4, r.History[^1].LearningRate, 12);
        Assert.True(double.IsFinite(r.Evaluation.Mse));
    }

    [Fact]
    public void RollbacksAreBounded()
    {
        var r = FitRunner.Run(Exploding(100, DivergencePolicy.Rollback));
        Assert.Equal(StopReason.Diverged, r.StopReason);
        Assert.Contains($"after {DivergenceGuard<float>.MaxRollbacks} rollbacks", r.StopDetail);
        Assert.Equal(DivergenceGuard<float>.MaxRollbacks, r.Notes.Count(n => n.Contains("rolled back")));
        Assert.Equal(0, r.Evaluation.NonFiniteOutputs);
    }

    [Theory]
    [InlineData(double.NaN, "the loss became NaN at step 5")]
    [InlineData(double.PositiveInfinity, "the loss became infinite at step 5")]
    [InlineData(1e9, "the loss exploded to 1e+09 (its first value was 2) at step 5")]
    public void NonFiniteAndExplodingLossesStopTraining(double badLoss, string detail)
    {
        var (session, guard) = GuardedSession();
        for (int i = 1; i <= 5; i++)
        {
            session.Step = i;
            guard.AfterStep(session, i < 5 ? 2.0 : badLoss);
        }
        Assert.Equal(StopReason.Diverged, session.StopReason);
        Assert.StartsWith(detail, session.StopDetail);
    }

    [Fact]
    public void NonFiniteWeightsStopTrainingAndAreReplaced()
    {
        var (session, guard) = GuardedSession();
        var good = (float[])session.Network.Parameters.Clone();
        session.Step = 1;
        guard.AfterStep(session, 2.0);
        session.Network.Parameters[3] = float.PositiveInfinity;
        session.Step = 2; // a candidate step (every 2): the weights are checked
        guard.AfterStep(session, 2.0);
        Assert.Equal(StopReason.Diverged, session.StopReason);
        Assert.StartsWith("the weights stopped being finite at step 2", session.StopDetail);
        Assert.Equal(good, session.Network.Parameters);
    }

    static (TrainingSession<float>, DivergenceGuard<float>) GuardedSession()
    {
        var config = CheckpointRuns.Small();
        var session = SessionFactory.Create<float>(config, Problem.Create(config));
        var guard = new DivergenceGuard<float>(session, snapshotEvery: 2);
        guard.OnStart(session);
        return (session, guard);
    }
}
