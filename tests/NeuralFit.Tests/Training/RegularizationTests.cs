using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Fitting;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Observers;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Tests.Training;

/// <summary>Weight decay, dropout, gradient clipping, and early stopping with the best weights restored.</summary>
public class RegularizationTests
{
    static FitOptions Small(OptimizerKind optimizer, int steps) => new()
    {
        Target = "sin(3*x)", Domain = [new(-1, 1)], Layers = [16], Activation = Activation.Tanh, Optimizer = optimizer,
        Steps = steps, LearningRate = 1e-2, Sampler = SamplerKind.Grid, Samples = 64, Normalize = NormalizeMode.Both, Seed = 4,
    };

    static double Norm(FitResult r) => Math.Sqrt(r.Model.ParametersAsDouble().Sum(p => p * p));

    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    [InlineData(OptimizerKind.Lbfgs)]
    [InlineData(OptimizerKind.Lm)]
    public void WeightDecayShrinksTheWeights(OptimizerKind optimizer)
    {
        int steps = optimizer.IsWholeBatch() ? 60 : 400;
        var plain = FitRunner.Run(Small(optimizer, steps));
        var decayed = FitRunner.Run(Small(optimizer, steps) with { WeightDecay = 0.3 });
        Assert.True(Norm(decayed) < 0.9 * Norm(plain), $"{optimizer}: ‖θ‖ {Norm(decayed):G4} with decay vs {Norm(plain):G4} without");
    }

    [Fact]
    public void DropoutPerturbsTrainingButNotPrediction()
    {
        var config = Small(OptimizerKind.Adam, 300);
        var plain = FitRunner.Run(config);
        var dropped = FitRunner.Run(config with { Dropout = 0.3 });
        Assert.True(dropped.History[^1].Loss > plain.History[^1].Loss, "training with dropout sees noisier, larger losses");
        var x = new[] { -0.5, 0.1, 0.7 };
        Assert.Equal(dropped.Model.Predict(x), dropped.Model.Predict(x)); // no dropout when predicting
    }

    [Fact]
    public void ClippingBoundsTheGradientNormAndKeepsItsDirection()
    {
        var shape = new NetworkShape(1, [8], 1, Activation.Tanh);
        var rng = new Rng(9);
        var net = new Mlp<double>(shape, Enumerable.Range(0, shape.ParameterCount).Select(_ => 3 * rng.NextGaussian()).ToArray());
        var set = new SampleSet(Enumerable.Range(0, 32).Select(i => i / 8.0).ToArray(), Enumerable.Range(0, 32).Select(i => 50.0 * i).ToArray(), 1);
        TrainingSession<double> Session(double? clip) =>
            new(net, new SampleSetBatches<double>(set, 32, Normalization.None(1), new Rng(1)), new Sgd<double>(shape.ParameterCount), new Schedule(ScheduleSpec.Constant, 0.1, 1), 1, clip);
        var free = Session(null);
        free.LossAndGradient(free.Batches.Next(free.Workspace.Batch));
        var clipped = Session(0.5);
        clipped.LossAndGradient(clipped.Batches.Next(clipped.Workspace.Batch));
        clipped.ClipGradient();
        Assert.True(free.GradientNorm() > 1, "the unclipped gradient is large");
        Assert.Equal(0.5, clipped.GradientNorm(), 9);
        double scale = clipped.Gradient[0] / free.Gradient[0];
        for (int i = 0; i < free.Gradient.Length; i++) Assert.Equal(free.Gradient[i] * scale, clipped.Gradient[i], 9);
    }

    /// <summary>A validation loss that falls until step 3 and rises after: early stopping halts after the patience and puts back step 3's weights.</summary>
    [Fact]
    public void EarlyStoppingStopsAfterThePatienceAndRestoresTheBestWeights()
    {
        var shape = new NetworkShape(1, [2], 1, Activation.Tanh);
        var net = new Mlp<double>(shape);
        var validation = new SampleSet(new[] { 0.0, 0.5 }, new[] { 1.0, 1.0 }, 1); // the output bias alone sets the validation loss
        var set = new SampleSet(new[] { 0.0 }, new[] { 0.0 }, 1);
        var session = new TrainingSession<double>(net, new SampleSetBatches<double>(set, 1, Normalization.None(1), new Rng(1)),
            new Sgd<double>(shape.ParameterCount), new Schedule(ScheduleSpec.Constant, 0.1, 100), 100);
        var monitor = new ValidationMonitor<double>(validation, Normalization.None(1), every: 1, patience: 3);
        var outputBias = shape.Slots[^1].BiasOffset;
        double[] biases = [0.2, 0.5, 0.9, 0.8, 0.6, 0.4, 0.3, 0.2]; // distance to the target 1: falls to step 3, then grows
        monitor.OnStart(session);
        foreach (double b in biases)
        {
            net.Parameters[outputBias] = b;
            session.Step++;
            monitor.AfterStep(session, 0);
            if (session.StopReason is not null) break;
        }
        Assert.Equal(StopReason.EarlyStopped, session.StopReason);
        Assert.Equal(6, session.Step); // steps 4, 5, 6 without improvement
        Assert.Equal(3, monitor.BestStep);
        Assert.Equal(0.01, monitor.BestLoss, 12);
        monitor.OnEnd(session);
        Assert.True(monitor.Restored);
        Assert.Equal(0.9, net.Parameters[outputBias]);
    }

    [Fact]
    public void EarlyStoppingEndToEndKeepsTheLowestValidationLoss()
    {
        // Noisy data, a network much larger than it: the validation loss turns up and the run stops.
        var rng = new Rng(3);
        var x = Enumerable.Range(0, 60).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var csv = "x,y\n" + string.Concat(x.Select(v => FormattableString.Invariant($"{v},{Math.Sin(3 * v) + 0.3 * rng.NextGaussian()}\n")));
        var path = Path.Combine(Path.GetTempPath(), $"nf-noisy-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, csv);
        try
        {
            var r = FitRunner.Run(new FitOptions
            {
                Data = path, Layers = [40], Optimizer = OptimizerKind.Lm, Steps = 300, ValidationFraction = 0.3, EarlyStopping = 5, Seed = 2,
            });
            Assert.Equal(StopReason.EarlyStopped, r.StopReason);
            Assert.Contains("were kept", r.StopDetail);
            var points = r.History.Where(h => h.ValidationLoss is not null).ToList();
            Assert.True(points.Count >= 2);
        }
        finally { File.Delete(path); }
    }
}
