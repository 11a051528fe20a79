using System.Numerics;
using NeuralFit.Preprocessing;

namespace NeuralFit.Networks;

/// <summary>A trained network with its normalisation: takes and returns values in the user's units.</summary>
internal abstract class FittedModel
{
    public abstract NetworkShape Shape { get; }
    public abstract Normalization Normalization { get; }

    /// <summary>The inputs' names in order: x, x1..xn, or a data file's column names.</summary>
    public IReadOnlyList<string> InputNames
    {
        get => _inputNames ?? (Shape.Inputs == 1 ? ["x"] : Enumerable.Range(1, Shape.Inputs).Select(i => $"x{i}").ToArray());
        init => _inputNames = value.Count == Shape.Inputs ? value.ToArray() : throw new ArgumentException($"{value.Count} input names for {Shape.Inputs} inputs");
    }

    /// <summary>The target's name: y, or a data file's target column.</summary>
    public string TargetName { get; init; } = "y";

    string[]? _inputNames;

    /// <summary>The parameters as float64, in the flat layout of <see cref="NetworkShape.Slots"/>.</summary>
    public abstract double[] ParametersAsDouble();

    /// <summary>x row-major (n, inputs) in the user's units -> y (n) in the user's units.</summary>
    public abstract void Predict(ReadOnlySpan<double> x, Span<double> y);

    public double[] Predict(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length / Shape.Inputs];
        Predict(x, y);
        return y;
    }

    /// <summary>The prediction at one point.</summary>
    public double PredictPoint(params double[] x) => Predict(x.AsSpan())[0];
}

internal sealed class FittedModel<T>(Mlp<T> network, Normalization normalization) : FittedModel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    const int Chunk = 1024;
    Workspace<T>? _workspace; // kept between calls; a call takes it for itself, so callers on several threads never share one

    public Mlp<T> Network => network;
    public override NetworkShape Shape => network.Shape;
    public override Normalization Normalization => normalization;

    public override double[] ParametersAsDouble() => network.Parameters.Select(double.CreateChecked).ToArray();

    public override void Predict(ReadOnlySpan<double> x, Span<double> y)
    {
        int d = Shape.Inputs, total = y.Length;
        if (x.Length != total * d) throw new ArgumentException($"x holds {x.Length} values, expected {total} rows of {d}");
        var ws = Interlocked.Exchange(ref _workspace, null) ?? new Workspace<T>(Shape, Chunk);
        for (int start = 0; start < total; start += Chunk)
        {
            int n = Math.Min(Chunk, total - start);
            for (int i = 0; i < n; i++)
                for (int k = 0; k < d; k++)
                    ws.Input[k * n + i] = T.CreateChecked(normalization.Inputs[k].Forward(x[(start + i) * d + k]));
            network.Forward(ws, n);
            for (int i = 0; i < n; i++)
                y[start + i] = normalization.Target.Inverse(double.CreateChecked(ws.Output[i]));
        }
        Volatile.Write(ref _workspace, ws);
    }
}
