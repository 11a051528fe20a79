using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Results;

namespace NeuralFit.Tests.Fitting;

/// <summary>Every fit says whether it met its goal and, when not, what to run next.</summary>
public class VerdictTests
{
    [Fact]
    public void AGoodFitIsFittedWithNothingToDoNext()
    {
        var r = FitRunner.Run(FitOptions.ForTarget("x^2", new Interval(-1, 1)) with { Steps = 200 });
        Assert.True(r.Verdict.Fitted, r.Verdict.Line);
        Assert.Null(r.Verdict.Next);
        Assert.Equal("r2 ≥ 0.9999 on the evaluation", r.Verdict.Goal);
        Assert.StartsWith("fitted: reached r2 ", r.Verdict.Line);
        var json = ResultJson.Build(r)["verdict"]!;
        Assert.True(json["fitted"]!.GetValue<bool>());
        Assert.Null(json["next"]);
    }

    /// <summary>sin(1000x) has 159 periods on [0, 1]: a small network trained briefly cannot follow it.</summary>
    [Fact]
    public void AFailedFitSaysWhatItReachedWhatWasWantedAndWhatToRunNext()
    {
        var c = FitOptions.ForTarget("sin(1000*x)", new Interval(0, 1)) with
        {
            Layers = [8], Steps = 20, MaxSeconds = 5,
        };
        var r = FitRunner.Run(c);
        var v = r.Verdict;
        Assert.False(v.Fitted);
        Assert.StartsWith("r2 ", v.Achieved);
        Assert.Contains("1,000 grid points of 0:1", v.Achieved);
        Assert.Equal("neuralfit diagnose --target \"sin(1000*x)\" --domain 0:1 --layers 8 --steps 20 --max-seconds 5", v.Next);
        Assert.StartsWith("not fitted: reached r2 ", v.Line);
        Assert.Contains("; wanted r2 ≥ 0.9999 on the evaluation; next: neuralfit diagnose ", v.Line);
        Assert.False(r.MissedGoal); // no goal was requested: the default goal's miss does not fail the command
        Assert.False(ResultJson.Build(r)["verdict"]!["fitted"]!.GetValue<bool>());
    }

    [Fact]
    public void ARequestedGoalReplacesTheDefault()
    {
        var c = FitOptions.ForTarget("x^2", new Interval(-1, 1)) with
        {
            // a budget of a second: an unreachable goal would otherwise grow the network for the default 30 s
            Steps = 200, GoalMaxError = 1e-14, MaxSeconds = 1,
        };
        var r = FitRunner.Run(c);
        Assert.Equal("max |error| ≤ 1e-14 on the evaluation", r.Verdict.Goal);
        Assert.False(r.Verdict.Fitted);
        Assert.True(r.MissedGoal);
    }

    [Fact]
    public void TheNextCommandQuotesWhatAShellWouldSplit()
    {
        Assert.Equal("0:1", CommandLine.Quote("0:1"));
        Assert.Equal("\"sin(x) + 1\"", CommandLine.Quote("sin(x) + 1"));
        Assert.Equal("'a\"b'", CommandLine.Quote("a\"b"));
        var c = new RunConfig { Target = "x1*x2", Domain = [new(0, 1), new(2, 3)], Layers = [50, 10] };
        Assert.Equal("neuralfit diagnose --target \"x1*x2\" --domain 0:1 --domain 2:3 --layers 50,10", CommandLine.For("diagnose", c));
    }
}
