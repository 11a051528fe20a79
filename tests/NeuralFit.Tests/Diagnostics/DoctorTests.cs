using NeuralFit.Diagnostics;
using NeuralFit.Question;

namespace NeuralFit.Tests.Diagnostics;

public class DoctorTests
{
    [Fact]
    public void DoctorKeepsOnlyFixesWhoseReplayWorksAndImprovesTheQuestionsRun()
    {
        var result = Doctor.Run(QuestionVariants.Original with { Seed = 1 }, maxRounds: 2);
        var first = result.Rounds[0];
        Assert.Equal(["bad-init", "exploding-gradients", "dead-units", "collapsed-output"], first.Diagnosis.CauseChain.Select(c => c.Code));
        Assert.NotNull(first.Chosen);
        double before = first.Diagnosis.Fit.Evaluation.Mse;
        foreach (var replay in first.Replays)
            Assert.Equal(replay.Evaluation.Mse <= Doctor.RequiredImprovement * before && replay.Result.Fit.StopReason != NeuralFit.Training.StopReason.Diverged, replay.Works);
        Assert.True(first.Chosen!.Works);
        Assert.Equal(first.Replays.Where(r => r.Works).Min(r => r.Evaluation.Mse), first.Chosen.Evaluation.Mse);
        Assert.True(result.Final.Fit.Evaluation.Mse < before / 10, $"final MSE {result.Final.Fit.Evaluation.Mse} vs {before}");
        Assert.True(result.CombinedPatch.Count > 0);
    }

    [Fact]
    public void ReplaysUseTheSameSeedAndData()
    {
        var result = Doctor.Run(QuestionVariants.Original with { Seed = 3, Steps = 500 }, maxRounds: 1, maxCandidates: 2);
        foreach (var replay in result.Rounds[0].Replays)
        {
            Assert.Equal(3UL, replay.Config.Seed);
            Assert.Equal(result.Rounds[0].Start.Target, replay.Config.Target);
        }
    }
}
