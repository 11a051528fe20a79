using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Configuration;

/// <summary>What NeuralFit chooses around a network the user fixed.</summary>
public class UsersNetworkTests
{
    static FitOptions Users(string target, string domain) => ConfigReader.ApplyPatch(new FitOptions(),
        new System.Text.Json.Nodes.JsonObject { ["target"] = target, ["domain"] = domain, ["layers"] = new System.Text.Json.Nodes.JsonArray(50, 10), ["activation"] = "relu" }, "test");

    /// <summary>ln(x) bends 100 times more at 0.01 than at 1: √|f''| = 1/x, so its points are log-spaced (equal ratios).</summary>
    [Fact]
    public void LnGetsPointsSpacedByItsCurvatureAndLmInFloat64()
    {
        var c = Defaults.Complete(Users("ln(x)", "0.01:1"));
        Assert.Equal(SamplerKind.Curvature, c.Sampler);
        Assert.Equal(OptimizerKind.Lm, c.Optimizer);
        Assert.Equal(Precision.Float64, c.Precision);
        Assert.Equal(1200, c.Samples); // 20 per hidden unit
        var x = Problem.Create(c).Training.X.ToArray();
        double early = x[101] / x[100], late = x[1101] / x[1100];
        Assert.Equal(early, late, 0.02 * early); // geometric spacing, as far from the ends as near them
        Assert.Equal(0.01, x[0], 12);
        Assert.Equal(1, x[^1], 12);
    }

    [Fact]
    public void AnEvenlyBendingTargetKeepsTheGrid() =>
        Assert.Equal(SamplerKind.Grid, Defaults.Complete(Users("x^2", "-1:1")).Sampler);

    [Fact]
    public void ASamplerTheUserGaveIsKept()
    {
        var c = ConfigReader.ApplyPatch(Users("ln(x)", "0.01:1"), new System.Text.Json.Nodes.JsonObject { ["sampler"] = "uniform" }, "test");
        Assert.Equal(SamplerKind.Uniform, Defaults.Complete(c).Sampler);
    }

    [Fact]
    public void CurvaturePointsFollowTheSquareRootOfTheSecondDerivative()
    {
        // x⁴ on [0, 1]: √|f''| = √12·x, so s(x) ∝ x² and equal shares put the k-th point near √(k/n) (the floor aside)
        var density = CurvaturePoints.Density(v => Math.Pow(v, 4), new Interval(0, 1))!;
        var x = CurvaturePoints.Points(density, new Interval(0, 1), 11);
        Assert.Equal(0, x[0]);
        Assert.Equal(1, x[^1], 12);
        Assert.Equal(Math.Sqrt(0.5), x[5], 0.03);
    }
}
