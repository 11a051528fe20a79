using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Tests.Diagnostics;

/// <summary>Every finding's fixes fit the run: nothing it ignores, nothing already in force.</summary>
public class FixFilterTests
{
    static readonly RunConfig Lm = new() { Optimizer = OptimizerKind.Lm, Normalize = NormalizeMode.Both, LearningRate = 1e-3, BatchSize = 64 };

    [Fact]
    public void NoLearningRateBatchSizeOrScheduleForAWholeBatchSolver()
    {
        foreach (var solver in new[] { OptimizerKind.Lm, OptimizerKind.Lbfgs })
        {
            var run = Lm with { Optimizer = solver };
            Assert.Empty(FixFilter.Applicable([Fix.Of("take smaller steps", ("learningRate", 1e-4))], run));
            Assert.Empty(FixFilter.Applicable([Fix.Of("larger batches", ("batchSize", 512))], run));
            Assert.Empty(FixFilter.Applicable([Fix.Of("decay the rate", ("schedule", "cosine"))], run));
        }
        // Changing the optimizer to one that steps makes its learning rate count.
        var adam = Assert.Single(FixFilter.Applicable([Fix.Of("use Adam", ("optimizer", "adam"), ("learningRate", 1e-3))], Lm));
        Assert.True(adam.Patch.ContainsKey("learningRate"));
    }

    [Fact]
    public void NoFixAlreadyInForce()
    {
        Assert.Empty(FixFilter.Applicable([Fix.Of("standardise inputs and targets", ("normalize", "both"))], Lm));
        // A fix named for a change already made goes whole; its other keys do not make it a different fix.
        Assert.Empty(FixFilter.Applicable([Fix.Of("use Levenberg–Marquardt", ("optimizer", "lm"), ("steps", 500))], Lm));
        var init = Assert.Single(FixFilter.Applicable([Fix.Of("he init", ("init", "he-normal"), ("biasInit", "zeros"))], Lm));
        Assert.Equal("{\"init\":\"he-normal\"}", init.PatchText);
    }

    [Fact]
    public void RepeatsAndImpossiblePatchesAreDropped()
    {
        var fixes = FixFilter.Applicable([
            Fix.Of("clip", ("clipNorm", 1.0)), Fix.Of("clip again", ("clipNorm", 1.0)), Fix.Of("nonsense", ("learningRate", -1.0)),
        ], new RunConfig());
        Assert.Equal(["clip"], fixes.Select(f => f.Summary));
    }
}
