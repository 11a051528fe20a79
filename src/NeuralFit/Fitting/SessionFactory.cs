using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Sampling;
using NeuralFit.Training;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Schedules;

namespace NeuralFit.Fitting;

internal static class SessionFactory
{
    public static NetworkShape Shape(RunConfig c, Problem p) => new(p.InputCount, c.Layers, p.OutputCount, c.Activation);

    /// <summary>The network as initialised by the run's seed, or at <paramref name="start"/> (a stage of a growing fit
    /// that goes on from the best so far).</summary>
    public static Mlp<T> InitialNetwork<T>(RunConfig c, Problem p, double[]? start = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var shape = Shape(c, p);
        if (start is not null)
            return start.Length == shape.ParameterCount ? new Mlp<T>(shape, start.Select(T.CreateChecked).ToArray())
                : throw new ArgumentException($"{start.Length} starting parameters for a network of {shape.ParameterCount}", nameof(start));
        bool nw = c.Init.Kind == InitKind.NguyenWidrow;
        var initial = Initialization.Draw(shape, c.Init, c.BiasInit, RandomStreams.Init(c.Seed),
            nw ? NormalizedInputs(p) : default, nw ? KnotPlacement(shape, p) : null);
        return new Mlp<T>(shape, initial.Select(T.CreateChecked).ToArray());
    }

    /// <summary>
    /// Where a one-input ReLU-family network's knots go (<see cref="SplineKnots"/>) when the target is an expression:
    /// equal shares of ∫√|f''| over the training points' range, de Boor's spacing for a piecewise-linear fit, in the
    /// network's units. Null (the training inputs' quantiles) for other networks, a data file, or a target whose
    /// curvature cannot be measured (not finite somewhere on the range).
    /// </summary>
    static Func<double, double>? KnotPlacement(NetworkShape shape, Problem p)
    {
        if (SplineKnots.For(shape) is null || p.IsDataset || p.Training.Count < 2) return null;
        var range = new Interval(System.Numerics.Tensors.TensorPrimitives.Min(p.Training.X.Span), System.Numerics.Tensors.TensorPrimitives.Max(p.Training.X.Span));
        if (!(range.Width > 0)) return null;
        var x = new double[1];
        var y = new double[1];
        var density = CurvaturePoints.Density(v => { x[0] = v; p.Function.Evaluate(x, y); return y[0]; }, range);
        if (density is null) return null;
        var input = p.Normalization.Inputs[0];
        var at = CurvaturePoints.Placement(density, range);
        return share => input.Forward(at(share));
    }

    /// <summary>The training inputs as the network sees them, row-major.</summary>
    internal static double[] NormalizedInputs(Problem p)
    {
        var x = p.Training.X.ToArray();
        for (int i = 0; i < x.Length; i++) x[i] = p.Normalization.Inputs[i % p.InputCount].Forward(x[i]);
        return x;
    }

    public static TrainingSession<T> Create<T>(RunConfig c, Problem p, double[]? start = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = InitialNetwork<T>(c, p, start);
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
