using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Tests.Networks;
using NeuralFit.Training;
using NeuralFit.Training.Optimizers;

namespace NeuralFit.Tests.Training;

/// <summary>
/// Replays every float64 PyTorch reference run in Fixtures/pytorch-trajectories.json: each step's prediction, loss,
/// gradients and parameters after the optimizer step must match to 1e-9 (relative; absolute below 1).
/// </summary>
public class PyTorchTrajectoryTests
{
    const double Tolerance = 1e-9;

    static readonly JsonElement Cases = JsonDocument.Parse(File.ReadAllText(Fixture.Path("pytorch-trajectories.json"))).RootElement.GetProperty("cases");

    public static TheoryData<string> CaseNames() => new(Cases.EnumerateArray().Select(c => c.GetProperty("name").GetString()!));

    [Fact]
    public void FixtureHoldsEveryOptimizerAndActivation()
    {
        var optimizers = Cases.EnumerateArray().Select(c => c.GetProperty("optimizer").GetProperty("name").GetString()).ToHashSet();
        var activations = Cases.EnumerateArray().Select(c => c.GetProperty("activation").GetString()).ToHashSet();
        Assert.Equal(24, Cases.GetArrayLength());
        Assert.Superset(new HashSet<string?> { "sgd", "momentum", "nesterov", "rmsprop", "adam", "adamw" }, optimizers);
        Assert.Equal(8, activations.Count);
    }

    [Theory, MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.EnumerateArray().First(e => e.GetProperty("name").GetString() == name);
        var sizes = c.GetProperty("sizes").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.True(ActivationNames.TryParse(c.GetProperty("activation").GetString()!, out var act));
        var shape = new NetworkShape(sizes[0], sizes[1..^1], sizes[^1], act);
        var net = new Mlp<double>(shape, Flatten(c.GetProperty("initialParams"), "w", "b"));
        var (optimizer, lr) = Optimizer(c.GetProperty("optimizer"), shape.ParameterCount);
        var gradient = new double[shape.ParameterCount];

        int stepIndex = 0;
        foreach (var step in c.GetProperty("steps").EnumerateArray())
        {
            string at = $"{name}, step {stepIndex++}";
            var x = Rows(step.GetProperty("x"));
            var y = Rows(step.GetProperty("y"));
            int n = x.Length;
            var ws = new Workspace<double>(shape, n);
            for (int i = 0; i < n; i++)
            {
                for (int k = 0; k < shape.Inputs; k++) ws.Input[k * n + i] = x[i][k];
                for (int k = 0; k < shape.Outputs; k++) ws.Target[k * n + i] = y[i][k];
            }
            Array.Clear(gradient);
            net.Forward(ws, n);
            var prediction = Rows(step.GetProperty("prediction"));
            Approx.AssertClose(FeatureMajor(prediction), ws.Output[..(n * shape.Outputs)], Tolerance, $"{at}: prediction");
            double loss = MeanSquaredError.LossAndGradient<double>(ws.Output.AsSpan(0, n * shape.Outputs), ws.Target.AsSpan(0, n * shape.Outputs), ws.Delta[^1].AsSpan(0, n * shape.Outputs));
            Assert.True(Math.Abs(loss - step.GetProperty("loss").GetDouble()) <= Tolerance * Math.Max(1, Math.Abs(loss)), $"{at}: loss {loss} vs {step.GetProperty("loss").GetDouble()}");
            net.Backward(ws, n, gradient);
            Approx.AssertClose(Flatten(step.GetProperty("gradients"), "dw", "db"), gradient, Tolerance, $"{at}: gradient");
            optimizer.Step(net.Parameters, gradient, lr);
            Approx.AssertClose(Flatten(step.GetProperty("paramsAfter"), "w", "b"), net.Parameters, Tolerance, $"{at}: parameters after the step");
        }
    }

    static (IStepOptimizer<double>, double) Optimizer(JsonElement o, int count)
    {
        double Get(string key, double fallback) => o.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        var kind = Choices.Optimizers[o.GetProperty("name").GetString()!];
        var options = new StepOptimizerOptions
        {
            Momentum = Get("momentum", 0.9), Beta1 = Get("beta1", 0.9), Beta2 = Get("beta2", 0.999),
            Epsilon = Get("eps", 1e-8), Alpha = Get("alpha", 0.99),
        };
        return (StepOptimizers.Create<double>(kind, count, Get("weightDecay", 0), options), o.GetProperty("learningRate").GetDouble());
    }

    /// <summary>Layers of {w: (out, in), b: (out)} into the flat layout: w row-major, then b, layer by layer.</summary>
    static double[] Flatten(JsonElement layers, string w, string b) =>
        layers.EnumerateArray().SelectMany(l => Rows(l.GetProperty(w)).SelectMany(r => r).Concat(l.GetProperty(b).EnumerateArray().Select(v => v.GetDouble()))).ToArray();

    static double[][] Rows(JsonElement m) => m.EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();

    /// <summary>(n, outputs) rows into the workspace's (outputs, n) layout.</summary>
    static double[] FeatureMajor(double[][] rows)
    {
        int n = rows.Length, d = rows[0].Length;
        var result = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++) result[k * n + i] = rows[i][k];
        return result;
    }
}
