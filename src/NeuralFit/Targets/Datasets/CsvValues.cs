namespace NeuralFit.Targets.Datasets;

/// <summary>A CSV file as read: the kept columns' names and their values, row-major, still in blocks.</summary>
sealed record CsvValues(string Source, string[] Columns, ValueBlocks Values, int RowCount, IReadOnlyList<string> Notes)
{
    public CsvTable ToTable() => new(Source, Columns, Values.ToArray(), RowCount) { Notes = Notes };

    /// <summary>The last <paramref name="targets"/> columns as the targets, the others as the inputs.</summary>
    public Dataset ToDataset(int targets = 1)
    {
        var (x, y) = Values.SplitLast(Columns.Length, targets);
        return new Dataset(Source, Columns[..^targets], Columns[^targets], new Sampling.SampleSet(x, y, Columns.Length - targets, targets))
            { Notes = Notes, TargetNames = Columns[^targets..] };
    }
}
