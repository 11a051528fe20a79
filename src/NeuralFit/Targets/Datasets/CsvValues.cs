namespace NeuralFit.Targets.Datasets;

/// <summary>A CSV file as read: the kept columns' names and their values, row-major, the last <c>Targets</c> columns
/// (<see cref="Lasts"/>) apart from the others.</summary>
sealed record CsvValues(string Source, string[] Columns, double[] Others, double[] Lasts, int RowCount, IReadOnlyList<string> Notes)
{
    int Targets => Lasts.Length / RowCount;

    /// <summary>The table of every kept column (read with no columns apart).</summary>
    public CsvTable ToTable() => Targets == 0
        ? new(Source, Columns, Others, RowCount) { Notes = Notes }
        : throw new InvalidOperationException("a table is read with no columns apart");

    /// <summary>The columns apart as the targets, the others as the inputs: the arrays become the data set's rows.</summary>
    public Dataset ToDataset()
    {
        int targets = Targets;
        return new Dataset(Source, Columns[..^targets], Columns[^targets], new DataRows(Others, Lasts, Columns.Length - targets, targets))
            { Notes = Notes, TargetNames = Columns[^targets..] };
    }
}
