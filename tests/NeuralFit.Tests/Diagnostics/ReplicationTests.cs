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
        foreach (var key in new[] { "name", "config", "runs", "successes", "medianMse", "medianMaxAbsError", "medianWallSeconds", "findings", "test", "verdict" })
            Assert.NotNull(json["variants"]![0]![key]);

        // Answer 1: the network escapes the collapse (it follows ln(x)) without reaching 1e-4: both readings, both numbers.
        var removed = summaries.Single(s => s.Variant.Name == "normalized, layer 2 removed");
        Assert.Equal("holds in part", removed.Verdict);
        Assert.Equal(2, removed.HeldByOwnTest);
        Assert.Equal(0, removed.Successes);
        Assert.Contains("2/2 seeds meet its test", removed.Observed);
        Assert.Contains("0/2 reach grid MSE ≤ 1e-4", removed.Observed);
    }

    [Fact]
    public void EveryAnswerOfTheThreadIsAVariantWithTheTestItsWordsCarry()
    {
        var variants = QuestionVariants.All(QuestionVariants.Recommended());
        Assert.Equal(9, variants.Count);
        Assert.Contains("NeuralFit recommended", variants.Select(v => v.Name));
        Assert.Equal([Criterion.AnswersMinusOne], variants.Single(v => v.Name == "original").Criteria);
        Assert.All(variants.Where(v => v.Claim.Contains("makes it work")), v => Assert.Equal([Criterion.EscapesCollapse], v.Criteria));
        var adam = variants.Single(v => v.Claim.Contains("about a minute"));
        Assert.Equal("MSE ≤ 1e-4, in ≤ 60 s", adam.Test);
    }

    /// <summary>The verdict from runs alone: all seeds by both readings, none, or in part (some seeds, or one reading).</summary>
    [Fact]
    public void AClaimHoldsInPartWhenTheReadingsDiffer()
    {
        var works = QuestionVariants.All(QuestionVariants.Recommended()).Single(v => v.Name == "normalized, layer 2 removed");
        ReplicaRun Run(ulong seed, double mse, double r2) => new(seed, mse, 1, r2, 0.1, -1, 0.8, [], []);
        Assert.Equal("holds", new VariantSummary(works, [Run(1, 5e-5, 0.9999), Run(2, 8e-5, 0.9999)]).Verdict);
        Assert.Equal("holds in part", new VariantSummary(works, [Run(1, 0.009, 0.989), Run(2, 0.008, 0.99)]).Verdict);
        Assert.Equal("holds in part", new VariantSummary(works, [Run(1, 0.009, 0.989), Run(2, 0.79, 0)]).Verdict);
        Assert.Equal("does not hold", new VariantSummary(works, [Run(1, 0.79, 0), Run(2, 0.79, -0.01)]).Verdict);
    }
}
