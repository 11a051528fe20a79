using NeuralFit.Configuration;
using NeuralFit.Fitting;

namespace NeuralFit.Tests.Configuration;

/// <summary>
/// Options mean what they say: a setting the caller sets is used, however it was set (initializer, <c>with</c>, JSON,
/// flag), and one left null is NeuralFit's choice, the same choice whichever way the rest was given.
/// </summary>
public class FitOptionsTests
{
    static readonly Interval Unit = new(0.01, 1);

    static string Completed(FitOptions o) => ConfigReader.ToJson(Defaults.Complete(o)).ToJsonString();

    [Fact]
    public void SettingsGivenWithWithAreHonoured()
    {
        var o = FitOptions.ForTarget("ln(x)", Unit) with { Layers = [5], Steps = 30 };
        var c = Defaults.Complete(o);
        Assert.Equal([5], c.Layers);
        Assert.Equal(30, c.Steps);

        var r = FitRunner.Run(o);
        Assert.Equal([5], r.Model.Shape.Hidden);
        Assert.All(r.Stages, s => Assert.Equal([5], s.Layers));
        Assert.Equal(30, r.Config.Steps);
        Assert.True(r.Steps <= 30, $"{r.Steps} steps");
    }

    [Fact]
    public void AnInitializerGetsTheSameChoicesAsForTargetAFileAndFlags()
    {
        string forTarget = Completed(FitOptions.ForTarget("ln(x)", Unit));
        Assert.Equal(forTarget, Completed(new FitOptions { Target = "ln(x)", Domain = [Unit] }));
        Assert.Equal(forTarget, Completed(FitOptions.FromJson("""{ "target": "ln(x)", "domain": "0.01:1" }""")));
        var flags = new FitOptions();
        foreach (var (key, value) in new[] { ("target", "ln(x)"), ("domain", "0.01:1") })
            flags = ConfigReader.Apply(flags, key, new FlagValue(Settings.ByKey[key].Flag, [value]), "flags");
        Assert.Equal(forTarget, Completed(flags));

        // and what is set counts the same from every source
        string set = Completed(FitOptions.ForTarget("ln(x)", Unit) with { Layers = [5], Steps = 30 });
        Assert.Equal(set, Completed(FitOptions.FromJson("""{ "target": "ln(x)", "domain": "0.01:1", "layers": [5], "steps": 30 }""")));
        Assert.Equal(set, Completed(new FitOptions { Target = "ln(x)", Domain = [Unit], Layers = [5], Steps = 30 }));
    }

    [Fact]
    public void OptionsRoundTripThroughJsonKeepingOnlyWhatIsSet()
    {
        var o = FitOptions.ForTarget("sin(x)", new Interval(0, 3)) with { Optimizer = OptimizerKind.Adam, LearningRate = 1e-3, Seed = 9 };
        var back = FitOptions.FromJson(o.ToJson());
        Assert.Equal(o.ToJson(), back.ToJson());
        Assert.Null(back.Layers);
        Assert.Null(back.Steps);
        Assert.Equal(OptimizerKind.Adam, back.Optimizer);
    }

    [Fact]
    public void LibraryErrorsNameThePropertyNotAFlag()
    {
        var none = Assert.Throws<InputError>(() => FitRunner.Run(new FitOptions()));
        Assert.Contains("FitOptions.Target", none.Message);
        Assert.DoesNotContain("--", none.Message);

        var negative = Assert.Throws<InputError>(() => FitRunner.Run(FitOptions.ForTarget("x", Unit) with { Steps = -5 }));
        Assert.StartsWith("FitOptions.Steps: must be at least 0", negative.Message);

        var bothTargets = Assert.Throws<InputError>(() => FitRunner.Run(new FitOptions { Data = "d.csv", Folds = 3, Target = "x" }));
        Assert.DoesNotContain("--", bothTargets.Message);
    }

    [Fact]
    public void TheCommandSaysFlagsForTheSameErrors()
    {
        var run = Cli.CliRunner.Run("fit", "--target", "x1*x2", "--domain", "0:1");
        Cli.CliRunner.AssertCleanError(run, "give one range per input in --domain");
        Assert.DoesNotContain("FitOptions.", run.All);
    }
}
