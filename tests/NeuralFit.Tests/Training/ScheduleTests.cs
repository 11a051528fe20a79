using NeuralFit.Training.Schedules;

namespace NeuralFit.Tests.Training;

/// <summary>Each schedule's rate at chosen steps, against the formulas of the PyTorch schedulers they follow.</summary>
public class ScheduleTests
{
    static Schedule Make(string spec, int total, double baseRate = 0.1) => new(ScheduleSpec.Parse(spec, "test"), baseRate, total);

    [Fact]
    public void ConstantKeepsTheBaseRate()
    {
        var s = Make("constant", 100);
        Assert.All(new[] { 1, 50, 100 }, k => Assert.Equal(0.1, s.Rate(k)));
    }

    [Fact]
    public void StepDecaysByGammaEveryNStepsAfterTheFirstN()
    {
        // StepLR(step_size 100, gamma 0.5): steps 1..100 at the base rate, 101..200 at half, 201.. at a quarter
        var s = Make("step:100:0.5", 300);
        Assert.Equal(0.1, s.Rate(1), 15);
        Assert.Equal(0.1, s.Rate(100), 15);
        Assert.Equal(0.05, s.Rate(101), 15);
        Assert.Equal(0.025, s.Rate(201), 15);
        var thirds = Make("step", 300); // every third of the run, gamma 0.1
        Assert.Equal(0.1, thirds.Rate(100), 15);
        Assert.Equal(0.01, thirds.Rate(101), 15);
    }

    [Fact]
    public void ExponentialReachesTheFinalFactorAtTheEndOfTheRun()
    {
        // γ = final^(1/T) per step, as ExponentialLR: rate(k) = base·final^((k−1)/T)
        var s = Make("exponential:0.01", 200);
        Assert.Equal(0.1, s.Rate(1), 15);
        Assert.Equal(0.1 * Math.Pow(0.01, 0.5), s.Rate(101), 12);
        Assert.Equal(0.1 * Math.Pow(0.01, 199.0 / 200), s.Rate(200), 12);
        Assert.True(s.Rate(150) < s.Rate(100));
    }

    [Fact]
    public void CosineFollowsHalfACosineDownToItsFloor()
    {
        // CosineAnnealingLR(T_max = T, eta_min = 0.2·base): base·(0.2 + 0.8·(1 + cos(π(k−1)/T))/2)
        var s = Make("cosine:0.2", 100);
        Assert.Equal(0.1, s.Rate(1), 15);
        Assert.Equal(0.1 * (0.2 + 0.8 * 0.5), s.Rate(51), 12);
        Assert.Equal(0.1 * (0.2 + 0.8 * 0.5 * (1 + Math.Cos(Math.PI * 99 / 100))), s.Rate(100), 12);
        Assert.Equal(0.02, s.Rate(101), 12); // past the end the floor holds
    }

    [Fact]
    public void WarmupRampsLinearlyThenHandsOverToTheSchedule()
    {
        var s = Make("cosine+warmup:10", 100);
        Assert.Equal(0.01, s.Rate(1), 15);
        Assert.Equal(0.5 * 0.1 * 0.5 * (1 + Math.Cos(Math.PI * 4 / 100)), s.Rate(5), 12); // half the ramp, times the cosine
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 9 / 100)), s.Rate(10), 12);
        Assert.Equal(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 10 / 100)), s.Rate(11), 12);
        var plain = Make("warmup:4", 100);
        Assert.Equal([0.025, 0.05, 0.075, 0.1, 0.1], Enumerable.Range(1, 5).Select(k => Math.Round(plain.Rate(k), 12)));
    }

    [Fact]
    public void PlateauCutsTheRateAfterPatienceRecordsWithoutImprovement()
    {
        var s = Make("plateau:3:0.5", 1000);
        s.Observe(1.0);                        // best 1.0
        s.Observe(0.5);                        // improves
        s.Observe(0.4996);                     // less than 0.1 % better: does not count
        s.Observe(0.6);
        Assert.Equal(0.1, s.Rate(500), 15);    // two records without improvement: not yet
        s.Observe(0.55);                       // the third: halve
        Assert.Equal(0.05, s.Rate(500), 15);
        s.Observe(double.NaN);                 // ignored
        s.Observe(0.3);                        // improves: the count restarts
        s.Observe(0.31); s.Observe(0.31);
        Assert.Equal(0.05, s.Rate(500), 15);
        s.Observe(0.31);
        Assert.Equal(0.025, s.Rate(500), 15);
        Assert.Equal((0.25, 0.3, 0), s.State);
    }

    [Theory]
    [InlineData("step:10:0", "out of range")]
    [InlineData("cosine:2", "out of range")]
    [InlineData("plateau:0:0.5", "out of range")]
    [InlineData("linear", "unknown schedule")]
    [InlineData("cosine+warmup:x", "warmup:N")]
    public void BadSchedulesAreInputErrors(string text, string mention) =>
        Assert.Contains(mention, Assert.Throws<InputError>(() => ScheduleSpec.Parse(text, "--schedule")).Message);
}
