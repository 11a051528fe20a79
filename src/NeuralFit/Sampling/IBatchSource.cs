using System.Numerics;
using NeuralFit.Preprocessing;

namespace NeuralFit.Sampling;

/// <summary>Where a batch source writes one batch of n samples, normalised and feature-major (one row of n per
/// input): x (inputs, n) and y (outputs, n). A training workspace hands out its input and target rows as one.</summary>
internal readonly ref struct Batch<T>(Span<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>x (inputs, n), row k at [k·n, (k + 1)·n).</summary>
    public Span<T> X { get; } = x;

    /// <summary>y (outputs, n), row k at [k·n, (k + 1)·n).</summary>
    public Span<T> Y { get; } = y;
}

/// <summary>Feeds the trainer: each call writes the next batch, normalised, into a <see cref="Batch{T}"/>.</summary>
internal interface IBatchSource<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    int BatchSize { get; }

    /// <summary>Writes x (inputs, n) into batch.X and y (outputs, n) into batch.Y; returns n.</summary>
    int Next(Batch<T> batch);
}

static class BatchWriter
{
    /// <summary>Sample i of a row-major set, normalised, into column j of the feature-major batch rows.</summary>
    public static void Write<T>(Batch<T> batch, int column, int n, ReadOnlySpan<double> row, ReadOnlySpan<double> y, Normalization norm)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int k = 0; k < row.Length; k++)
            batch.X[k * n + column] = T.CreateChecked(norm.Inputs[k].Forward(row[k]));
        for (int k = 0; k < y.Length; k++)
            batch.Y[k * n + column] = T.CreateChecked(norm.Targets[k].Forward(y[k]));
    }
}
