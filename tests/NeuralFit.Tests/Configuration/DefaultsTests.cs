using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Question;
using NeuralFit.Fitting;
using NeuralFit.Targets;

namespace NeuralFit.Tests.Configuration;

/// <summary>What NeuralFit chooses when the user leaves settings out, and that it never overrides a choice they made.</summary>
public class DefaultsTests
{
    static FitOptions Flags(params string[] pairs)
    {
        var c = new FitOptions();
        for (int i = 0; i < pairs.Length; i += 2)
        {
            var setting = Settings.All.Single(s => s.Flag == pairs[i]);
            c = ConfigReader.Apply(c, setting.Key, new FlagValue(pairs[i], [pairs[i + 1]]), "test");
        }
        return c;
    }

    [Fact]
    public void ATargetAndADomainGetNeuralFitsRecipe()
    {
        var c = Defaults.Complete(Flags("--target", "sin(2*pi*x)", "--domain", "0:1"));
        Assert.Equal(OptimizerKind.Lm, c.Optimizer);
        Assert.Equal(Precision.Float64, c.Precision);
        Assert.Equal(NormalizeMode.Both, c.Normalize);
        Assert.Equal(InitKind.NguyenWidrow, c.Init.Kind);
        Assert.Equal(SamplerKind.Grid, c.Sampler);
        Assert.Equal(Activation.Tanh, c.Activation);
        Assert.Single(c.Layers);
        int parameters = 3 * c.Layers[0] + 1;
        Assert.Equal(Math.Max(5 * parameters, 1024), c.Samples);
        Assert.Equal(0.15, c.ValidationFraction);
        Assert.Null(c.EarlyStopping); // an expression has no noise to stop early against
        Assert.Equal(Defaults.RecipeLossGoal, c.LossGoal);
    }

    [Fact]
    public void TheWidthFollowsTheTargetsDetail()
    {
        int Width(string target, string domain) => Defaults.Complete(Flags("--target", target, "--domain", domain)).Layers[0];
        Assert.Equal(10, Width("x^2", "-1:1"));            // 9 Chebyshev points
        Assert.Equal(18, Width("sin(2*pi*x)", "0:1"));     // 17
        Assert.Equal(64, Width("sin(20*x)", "0:3"));       // 65, capped
        Assert.Equal(64, Width("sqrt(x)", "0:1"));         // never resolved: singular at 0
        Assert.Equal(513, TargetResolution.Measure(new ExpressionTarget("tanh(50*x)", 1), [new Interval(-1, 1)]));
    }

    [Fact]
    public void ThreeOrMoreInputsAreSampledAtRandomRatherThanOnAGrid()
    {
        var c = Defaults.Complete(Flags("--target", "x1+x2+x3", "--domain", "0:1,0:1,0:1"));
        Assert.Equal(SamplerKind.Uniform, c.Sampler);
    }

    [Fact]
    public void GivenSettingsAreNeverChanged()
    {
        var c = Defaults.Complete(Flags("--target", "ln(x)", "--domain", "0.01:1", "--layers", "20", "--activation", "relu",
            "--precision", "float32", "--optimizer", "lm", "--normalize", "inputs", "--sampler", "chebyshev", "--samples", "300", "--steps", "7"));
        Assert.Equal([20], c.Layers);
        Assert.Equal(Activation.Relu, c.Activation);
        Assert.Equal(Precision.Float32, c.Precision);
        Assert.Equal(NormalizeMode.Inputs, c.Normalize);
        Assert.Equal(SamplerKind.Chebyshev, c.Sampler);
        Assert.Equal(300, c.Samples);
        Assert.Equal(7, c.Steps);
        Assert.Equal(0, c.ValidationFraction); // the user picked the solver: no recipe extras
        Assert.Null(c.LossGoal);
    }

    [Fact]
    public void TheQuestionsSetupIsLeftAsWritten()
    {
        // Every key of the question given, normalize left out: auto does not touch ln's U[0,1) data, and nothing else moves.
        var question = NeuralFit.Tests.Fitting.QuestionScenarioTests.Question();
        var c = Defaults.Complete(question);
        Assert.Equal(ConfigReader.ToJson(question).ToJsonString(), ConfigReader.ToJson(c).ToJsonString());
        Assert.Equal(NormalizeMode.Auto, c.Normalize);
    }

    [Fact]
    public void AnExplicitInitKeepsAutoNormalisation() =>
        Assert.Equal(NormalizeMode.Auto, Defaults.Complete(Flags("--target", "x", "--domain", "0:1", "--init", "he-normal")).Normalize);

    [Theory]
    [InlineData("--bias-init", "nguyen-widrow", "is a weight init")]
    [InlineData("--regularization", "bayesian", "use it with FitOptions.Optimizer lm")]
    public void CombinationsThatCannotWorkAreInputErrors(string flag, string value, string mention)
    {
        var c = Flags("--target", "x", "--domain", "0:1", "--optimizer", "adam", flag, value);
        Assert.Contains(mention, Assert.Throws<InputError>(() => Defaults.Complete(c)).Message);
    }

    /// <summary>The seed table's "NeuralFit recommended" run: ln(x) on [0, 1] with nothing else given, judged on [0.01, 1].</summary>
    [Fact]
    public void TheRecommendedRunFitsTheQuestionsDomain()
    {
        var r = FitRunner.Run(QuestionVariants.Recommended());
        Assert.True(r.Evaluation.Mse <= QuestionVariants.SuccessMse * 1e-3, $"grid MSE {r.Evaluation.Mse:G3}");
    }
}
