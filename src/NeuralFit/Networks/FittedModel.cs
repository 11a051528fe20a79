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

    /// <summary>The target's name: y, or a data file's target column (the first output's, with several).</summary>
    public string TargetName
    {
        get => _targetNames?[0] ?? _targetName;
        init => _targetName = value;
    }

    /// <summary>The outputs' names, one per output: <see cref="TargetName"/> alone, y1..yk, or a data file's target columns.</summary>
    public IReadOnlyList<string> TargetNames
    {
        get => _targetNames ?? (Shape.Outputs == 1 ? [_targetName] : Enumerable.Range(1, Shape.Outputs).Select(i => $"y{i}").ToArray());
        init => _targetNames = value.Count == Shape.Outputs ? value.ToArray() : throw new ArgumentException($"{value.Count} target names for {Shape.Outputs} outputs");
    }

    /// <summary>Values per prediction.</summary>
    public int OutputCount => Shape.Outputs;

    string[]? _inputNames, _targetNames;
    string _targetName = "y";

    /// <summary>The parameters as float64, in the flat layout of <see cref="NetworkShape.Slots"/>.</summary>
    public abstract double[] ParametersAsDouble();

    /// <summary>x row-major (n, inputs) in the user's units -> y row-major (n, outputs) in the user's units.</summary>
    public abstract void Predict(ReadOnlySpan<double> x, Span<double> y);

    public double[] Predict(ReadOnlySpan<double> x)
    {
        var y = new double[x.Length / Shape.Inputs * Shape.Outputs];
        Predict(x, y);
        return y;
    }

    /// <summary>The prediction at one point (the first output's, with several).</summary>
    public double PredictPoint(params double[] x) => Predict(x.AsSpan())[0];

    /// <summary>Every output's prediction at one point.</summary>
    public double[] PredictOutputs(params double[] x) => Predict(x.AsSpan());
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
        int d = Shape.Inputs, k = Shape.Outputs, total = y.Length / k;
        if (x.Length != total * d || y.Length != total * k) throw new ArgumentException($"x holds {x.Length} values and y {y.Length}, expected rows of {d} and of {k}");
        var ws = Interlocked.Exchange(ref _workspace, null) ?? new Workspace<T>(Shape, Chunk);
        for (int start = 0; start < total; start += Chunk)
        {
            int n = Math.Min(Chunk, total - start);
            for (int i = 0; i < n; i++)
                for (int j = 0; j < d; j++)
                    ws.Input[j * n + i] = T.CreateChecked(normalization.Inputs[j].Forward(x[(start + i) * d + j]));
            network.Forward(ws, n);
            for (int o = 0; o < k; o++)
                for (int i = 0; i < n; i++)
                    y[(start + i) * k + o] = normalization.Targets[o].Inverse(double.CreateChecked(ws.Output[o * n + i]));
        }
        Volatile.Write(ref _workspace, ws);
    }
}
