namespace NeuralFit.Networks;

/// <summary>
/// A network's forward pass over a data set a block of rows at a time, in one block-sized workspace: what a caller
/// needs of every row (features, a test over all rows) it takes from each block, without activations for all rows.
/// Every block is full: the last one starts early enough to be (its first rows were run before and are skipped). The
/// kernels' plan narrows the vectors for a short batch (under 8 vectors), which can round the products differently
/// (blocks of 7 rows change a ReLU network's least-squares start in the 12th digit); with full blocks every row runs
/// at the plan of a long batch, as in one pass over all rows.
/// </summary>
internal sealed class ForwardBlocks(NetworkShape shape, Mlp<double> net, int n, int blockRows)
{
    readonly Workspace<double> ws = new(shape, Math.Max(1, Math.Min(n, blockRows)));
    int rows, skip;

    /// <summary>Runs the block that holds rows [start, start + count) of x (row-major (n, inputs)) with the rows
    /// before it run already; returns count, the new rows, at least one while start &lt; n.</summary>
    public int Run(ReadOnlySpan<double> x, int start)
    {
        int first = Math.Min(start, n - ws.Capacity), inputs = shape.Inputs;
        (rows, skip) = (Math.Min(ws.Capacity, n - first), start - first);
        for (int i = 0; i < rows; i++)
            for (int k = 0; k < inputs; k++) ws.Input[k * rows + i] = x[(first + i) * inputs + k];
        net.Forward(ws, rows);
        return rows - skip;
    }

    /// <summary>Unit <paramref name="unit"/>'s activations in layer <paramref name="layer"/> over the last block's new rows.</summary>
    public ReadOnlySpan<double> A(int layer, int unit) => ws.A[layer].AsSpan(unit * rows + skip, rows - skip);

    /// <summary>Unit <paramref name="unit"/>'s pre-activations in layer <paramref name="layer"/> over the last block's new rows.</summary>
    public ReadOnlySpan<double> Z(int layer, int unit) => ws.Z[layer].AsSpan(unit * rows + skip, rows - skip);
}
