using NeuralFit.Question;

namespace NeuralFit.Tests.Diagnostics;

public class ReplicationTests
{
    [Fact]
    public void TheOriginalCollapsesOnEverySeedAndItsClaimHolds()
    {
        var variants = QuestionVariants.All(QuestionVariants.Recommended()).Where(v => v.Name is "original" or "normalized, layer 2 removed").ToList();
        var summaries = Replicator.Run(variants, seeds: 2);
        var original = summaries.Single(s => s.Variant.Name == "original");
        Assert.Equal(2, original.Runs.Count);
        Assert.Equal(0, original.Successes);
        Assert.Equal("holds", original.Verdict);
        Assert.Contains(original.DominantFinding, new[] { "bad-init", "dead-units", "collapsed-output", "exploding-gradients" });
        var json = NeuralFit.Results.ReplicationJson.Build(summaries, 2);
        foreach (var key in new[] { "name", "config", "runs", "successes", "medianMse", "medianMaxAbsError", "medianWallSeconds", "findings" })
            Assert.NotNull(json["variants"]![0]![key]);
    }

    [Fact]
    public void EveryAnswerOfTheThreadIsAVariant()
    {
        var names = QuestionVariants.All(QuestionVariants.Recommended()).Select(v => v.Name).ToList();
        Assert.Equal(9, names.Count);
        Assert.Contains("original", names);
        Assert.Contains("NeuralFit recommended", names);
    }
}
