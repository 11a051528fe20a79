namespace NeuralFit.Targets.Datasets;

/// <summary>A CSV file as read: the kept columns' names and their values, row-major, still in blocks.</summary>
sealed record CsvValues(string Source, string[] Columns, ValueBlocks Values, int RowCount, IReadOnlyList<string> Notes)
{
    public CsvTable ToTable() => new(Source, Columns, Values.ToArray(), RowCount) { Notes = Notes };

    /// <summary>The last column as the targets, the others as the inputs.</summary>
    public Dataset ToDataset()
    {
        var (x, y) = Values.SplitLast(Columns.Length);
        return new Dataset(Source, Columns[..^1], Columns[^1], new Sampling.SampleSet(x, y, Columns.Length - 1)) { Notes = Notes };
    }
}
