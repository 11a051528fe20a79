using System.Numerics;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;

namespace NeuralFit.Sampling;

/// <summary>Feeds the trainer: each call writes the next batch, normalised, into the workspace.</summary>
public interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    int BatchSize { get; }

    /// <summary>Writes x (inputs, n) into ws.Input and y (1, n) into ws.Target; returns n.</summary>
    int Next(Workspace<T> ws);
}

static class BatchWriter
{
    /// <summary>Sample i of a row-major set, normalised, into column j of the feature-major workspace rows.</summary>
    public static void Write<T>(Workspace<T> ws, int column, int n, ReadOnlySpan<double> row, double y, Normalization norm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < row.Length; k++)
            ws.Input[k * n + column] = T.CreateChecked(norm.Inputs[k].Forward(row[k]));
        ws.Target[column] = T.CreateChecked(norm.Target.Forward(y));
    }
}
