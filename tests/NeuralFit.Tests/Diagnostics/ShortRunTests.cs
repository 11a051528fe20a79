using System.Text.Json.Nodes;
using NeuralFit.Configuration;
using NeuralFit.Diagnostics;

namespace NeuralFit.Tests.Diagnostics;

/// <summary>
/// Runs that stop before they arrive, on a network big enough for the target (tanh 32-32 for sin(2πx) on [0, 1],
/// which the same settings fit in a few thousand steps): the diagnosis must say "train longer", never that the network
/// is too small, and must not read a memorising or a barely moving run as one still on its way.
/// </summary>
public class ShortRunTests
{
    const string Base = """
        { "target": "sin(2*pi*x)", "domain": "0:1", "layers": [32, 32], "activation": "tanh", "init": "glorot-uniform",
          "biasInit": "zeros", "optimizer": "adam", "learningRate": 0.001, "batchSize": 64, "sampler": "uniform",
          "normalize": "both", "seed": 17 }
        """;

    /// <summary>
    /// 150 steps of Adam at 1e-3 leave the loss flat at the straight line's error (R² 0.66), the pause before the
    /// network draws the curve; 600 steps leave it falling, behind minibatch noise that a few end points misread (R²
    /// 0.97). Neither stalled at a floor: the network is 16× wider than sin(2πx) needs.
    /// </summary>
    [Theory]
    [InlineData(150)]
    [InlineData(600)]
    public void TooFewStepsIsUndertrainedNotTooSmall(int steps)
    {
        var d = Diagnoser.Run(Config($$"""{ "steps": {{steps}} }"""));
        var undertrained = Assert.Single(d.Findings, f => f.Code == "undertrained");
        Assert.Equal(Severity.Error, undertrained.Severity);
        Assert.Equal("undertrained", d.CauseChain[0].Code);
        Assert.DoesNotContain(d.Findings, f => f.Code is "insufficient-capacity" or "plateau" && f.Severity >= Severity.Warning);
        Assert.True(undertrained.Fixes[0].Patch["steps"]!.GetValue<int>() >= 4 * steps);
    }

    /// <summary>A learning rate a million times too small keeps the start's constant answer: the rate heads the chain.</summary>
    [Fact]
    public void ATinyLearningRateExplainsTheCollapsedOutput()
    {
        var d = Diagnoser.Run(Config("""{ "optimizer": "sgd", "learningRate": 1e-6, "steps": 2000, "seed": 19 }"""));
        Assert.Equal(["learning-rate-too-low", "collapsed-output"], d.CauseChain.Select(c => c.Code));
    }

    /// <summary>12 samples for 4353 parameters: the training loss falls while the function between them is lost.
    /// That fall is memorisation, not progress more steps would continue.</summary>
    [Fact]
    public void MemorisingIsOverfittingNotUndertrained()
    {
        var d = Diagnoser.Run(Config("""
            { "target": "sin(6*pi*x)+0.5*cos(11*x)", "layers": [64, 64], "samples": 12, "batchSize": 12, "learningRate": 0.003, "steps": 1500, "seed": 15 }
            """));
        Assert.Contains(d.Findings, f => f.Code == "overfitting" && f.Severity == Severity.Error);
        Assert.DoesNotContain(d.Findings, f => f.Code is "undertrained" or "insufficient-capacity");
    }

    /// <summary>
    /// Plain SGD at 2e-3 stalls with sin(4πx) half drawn (R² 0.15). The target turns 4 times, needs 33 Chebyshev points
    /// (32 units give one for every two with room), and the Chebyshev interpolant of the network's size reaches R² 1:
    /// nothing about the target says the network is too small, so the stall is not blamed on its size.
    /// </summary>
    [Fact]
    public void AStallOnANetworkAmpleForTheTargetIsNotCapacity()
    {
        var d = Diagnoser.Run(Config("""{ "target": "sin(4*pi*x)", "optimizer": "sgd", "learningRate": 0.002, "steps": 2500, "seed": 3 }"""));
        Assert.Contains(d.Findings, f => f.Code == "plateau");
        Assert.DoesNotContain(d.Findings, f => f.Code == "insufficient-capacity");
    }

    static FitOptions Config(string patch)
    {
        var config = ConfigReader.FromJson(Base, "base", new FitOptions());
        return ConfigReader.ApplyPatch(config, JsonNode.Parse(patch)!.AsObject());
    }
}
