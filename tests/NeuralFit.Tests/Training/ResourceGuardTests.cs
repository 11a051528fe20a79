using System.Diagnostics;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Training;
using NeuralFit.Tests.Checkpoints;

namespace NeuralFit.Tests.Training;

/// <summary>--max-seconds and --max-memory: clean stops with the model kept, and refusals with an estimate up front.</summary>
public class ResourceGuardTests
{
    [Fact]
    public void TrainingStopsCleanlyAtTheTimeLimit()
    {
        // A billion steps take hours: only the limit ends this run. The bounds past the limit are for a machine loaded
        // many times over (a step takes microseconds, the limit is checked every step); a limit not kept is hours.
        var clock = Stopwatch.StartNew();
        var r = FitRunner.Run(CheckpointRuns.Small() with { Steps = 1_000_000_000, MaxSeconds = 1 });
        Assert.Equal(StopReason.TimeLimit, r.StopReason);
        Assert.Contains("the time limit of 1 s was reached", r.StopDetail);
        Assert.InRange(r.WallSeconds, 1, 30);
        Assert.True(clock.Elapsed.TotalSeconds < 60);
        Assert.True(r.Steps > 100 && r.Evaluation.R2 > 0.5, $"{r.Steps} steps, r2 {r.Evaluation.R2}: the model trained so far is kept");
    }

    [Fact]
    public void TrainingStopsCleanlyWhenTheHeapGrowsPastTheMemoryLimit()
    {
        // The run's own needs are far below 1 MB (so the estimate lets it start), but the process's heap is not: held
        // above it here, whatever the test process's other tests are doing (once, under load, the run did not stop).
        var ballast = new byte[8_000_000];
        var r = FitRunner.Run(CheckpointRuns.Small() with { MaxMemory = ByteSize.Smallest });
        GC.KeepAlive(ballast);
        Assert.True(r.StopReason == StopReason.MemoryLimit, $"{r.StopReason} after {r.Steps} steps; heap now {GC.GetTotalMemory(false):N0} bytes");
        Assert.Equal(256, r.Steps);
        Assert.Contains("past the limit of 1 MB", r.StopDetail);
    }

    [Fact]
    public void ARunThatWouldNotFitInTheMemoryLimitIsRefusedWithAnEstimate()
    {
        var config = CheckpointRuns.Small() with { Layers = [10_000, 10_000], MaxMemory = 1_000_000_000 };
        var error = Assert.Throws<InputError>(() => FitRunner.Run(config));
        Assert.Matches(@"^the run would need about \d+(\.\d+)? GB of memory \(parameters and optimizer state .* for 100,040,001 parameters", error.Message);
        Assert.Contains("more than FitOptions.MaxMemory (1 GB)", error.Message);
    }

    [Fact]
    public void ARunThatWouldNotFitInTheMachineIsRefusedWithAnEstimate()
    {
        var config = CheckpointRuns.Small() with { Layers = [1_000_000, 1_000_000] };
        var error = Assert.Throws<InputError>(() => FitRunner.Run(config));
        Assert.Contains("the network 1-1000000-1000000-1 at batch 32 needs a buffer of 1,000,004,000,001 values", error.Message);
    }

    /// <summary>
    /// Levenberg–Marquardt holds JᵀJ and its damped copy, P² float64 each: 13,000 units make 39,001 parameters and 24 GB
    /// of them, which the estimate once left out (the run ended in an OutOfMemoryException, exit code 3).
    /// </summary>
    [Fact]
    public void LevenbergMarquardtsNormalEquationsAreInTheEstimate()
    {
        var config = CheckpointRuns.Small() with { Layers = [13_000], Optimizer = OptimizerKind.Lm, MaxMemory = 2L << 30 };
        var error = Assert.Throws<InputError>(() => ResourceEstimate.Check(config));
        Assert.Matches(@"lm's own 2\d(\.\d)? GB \(Jacobian and normal equations\)", error.Message);
        Assert.Contains("more than FitOptions.MaxMemory (", error.Message);
        ResourceEstimate.Check(config with { Layers = [100] }); // a small lm run: accepted
    }

    [Theory]
    [InlineData(OptimizerKind.Lm, 3000)]
    [InlineData(OptimizerKind.Lbfgs, 200_000)]
    public void AWholeBatchRunIsTimedByItsOwnIterations(OptimizerKind optimizer, int width)
    {
        // An lm iteration forms JᵀJ over the whole training set (P²·N/2): 3,000 units for a million iterations is years,
        // which the step optimizers' formula (a batch of 64 a step) put at days.
        var config = CheckpointRuns.Small() with { Layers = [width], Optimizer = optimizer, Samples = 10_000, Steps = 1_000_000 };
        var error = Assert.Throws<InputError>(() => ResourceEstimate.Check(config));
        Assert.Matches($@"^the run would train for about [\d,.]+ (days|months|years) \(1-{width}-1, {optimizer.Name()} on the whole training set, 1,000,000 steps", error.Message);
    }

    [Fact]
    public void ARunThatWouldTrainForMonthsIsRefusedUnlessBounded()
    {
        var config = CheckpointRuns.Small() with { Layers = [2000, 2000], BatchSize = 1000, Samples = 2000, Steps = 1_000_000_000 };
        var error = Assert.Throws<InputError>(() => FitRunner.Run(config));
        Assert.Matches(@"^the run would train for about [\d,.]+ (months|years) \(1-2000-2000-1, batch 1000, 1,000,000,000 steps", error.Message);
        Assert.Contains("bound it with FitOptions.MaxSeconds", error.Message);
        ResourceEstimate.Check(config with { MaxSeconds = 60 }); // bounded: accepted
    }

    [Fact]
    public void AbsurdCountsAreRefusedWithAnEstimateAsTheyAreRead()
    {
        var steps = Assert.Throws<InputError>(() => ConfigReader.FromJson("""{ "steps": 1e12 }""", "run.json", new FitOptions()));
        Assert.Matches(@"^run\.json: steps: must be at most 1,000,000,000, got 1,000,000,000,000: that many steps would train for about [\d,.]+ (months|years) \(an estimate\)$", steps.Message);
        var width = Assert.Throws<InputError>(() => ConfigReader.FromJson("""{ "layers": [50, 1000000000] }""", "run.json", new FitOptions()));
        Assert.Matches(@"^run\.json: layers\[1\]: must be at most 1,000,000 units, got 1,000,000,000: that network would need about [\d.]+ (TB|PB) of memory \(an estimate\)$", width.Message);
    }

    [Theory]
    [InlineData("2GB", 2_000_000_000L)]
    [InlineData("512 MiB", 536_870_912L)]
    [InlineData("1.5g", 1_500_000_000L)]
    [InlineData("3000000", 3_000_000L)]
    public void MemorySizesAreReadWithTheirUnits(string text, long bytes) =>
        Assert.Equal(bytes, ByteSize.Parse(text, new FlagValue("--max-memory", [text]).Error));

    [Theory]
    [InlineData("4", "is 4 bytes, less than the 1 MB a run needs; give a unit, e.g. 4GB")]
    [InlineData("lots", "expected a size such as 512MB or 2GB, got 'lots'")]
    [InlineData("-2GB", "less than the 1 MB")]
    public void BadMemorySizesAreRefused(string text, string message) =>
        Assert.Contains(message, Assert.Throws<InputError>(() => ByteSize.Parse(text, new FlagValue("--max-memory", [text]).Error)).Message);
}
