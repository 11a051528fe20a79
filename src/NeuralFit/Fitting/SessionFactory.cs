using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Fitting;

public static class SessionFactory
{
    public static NetworkShape Shape(RunConfig c, Problem p) => new(p.InputCount, c.Layers, 1, c.Activation);

    /// <summary>The network as initialised by the run's seed.</summary>
    public static Mlp<T> InitialNetwork<T>(RunConfig c, Problem p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Shape(c, p);
        var initial = Initialization.Draw(shape, c.Init, c.BiasInit, RandomStreams.Init(c.Seed),
            c.Init.Kind == InitKind.NguyenWidrow ? NormalizedInputs(p) : default);
        return new Mlp<T>(shape, initial.Select(T.CreateChecked).ToArray());
    }

    /// <summary>The training inputs as the network sees them, row-major.</summary>
    internal static double[] NormalizedInputs(Problem p)
    {
        var x = (double[])p.Training.X.Clone();
        for (int i = 0; i < x.Length; i++) x[i] = p.Normalization.Inputs[i % p.InputCount].Forward(x[i]);
        return x;
    }

    public static TrainingSession<T> Create<T>(RunConfig c, Problem p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = InitialNetwork<T>(c, p);
        IBatchSource<T> batches = p.FreshSampling
            ? new FreshUniformBatches<T>(p.Function, p.Domain, c.BatchSize, p.Normalization, RandomStreams.Batches(c.Seed))
            : new SampleSetBatches<T>(p.Training, c.BatchSize, p.Normalization, RandomStreams.Batches(c.Seed));
        var optimizer = StepOptimizers.Create<T>(c.Optimizer, network.Shape.ParameterCount, c.WeightDecay);
        var schedule = new Schedule(c.Schedule, c.LearningRate, c.Steps);
        var session = new TrainingSession<T>(network, batches, optimizer, schedule, c.Steps, c.ClipNorm);
        session.Workspace.EnableDropout(c.Dropout, RandomStreams.Dropout(c.Seed));
        return session;
    }
}
