using NeuralFit.Configuration;
using NeuralFit.Files;
using NeuralFit.Sampling;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// Samples read from a CSV file: the target column (the last, unless <c>targetColumn</c> names another, or several
/// of them, <c>targetColumns</c>, one per output) and the input columns (<c>inputColumns</c>, else every other column
/// but those in <c>dropColumns</c>), named as in the header.
/// </summary>
internal sealed record Dataset(string Source, string[] InputNames, string TargetName, DataRows Rows)
{
    /// <summary>What reading the file decided that the user should hear of (an index column left out).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The target columns' names, one per output; the first is <see cref="TargetName"/>.</summary>
    public IReadOnlyList<string> TargetNames
    {
        get => _targetNames ?? [TargetName];
        init => _targetNames = value.ToArray();
    }

    string[]? _targetNames;

    public int InputCount => InputNames.Length;

    public int OutputCount => Rows.Outputs;

    /// <summary>Rows in the file (or arrays).</summary>
    public int Count => Rows.Count;

    /// <summary>Each input's range over the file, lo:hi (a constant column gets a unit-wide range around its value).</summary>
    public IReadOnlyList<Interval> Ranges() => Rows.Ranges;

    public static Dataset FromTable(CsvTable table, string? targetColumn)
    {
        int target = table.Columns.Length - 1;
        if (targetColumn is not null)
        {
            target = Array.IndexOf(table.Columns, targetColumn);
            if (target < 0)
                throw new InputError($"FitOptions.TargetColumn: {table.Source} has no column '{targetColumn}'{Suggestions.Nearest(targetColumn, table.Columns)}; its columns are {string.Join(", ", table.Columns)}");
        }
        int columns = table.Columns.Length, inputs = columns - 1, rows = table.RowCount;
        var x = new double[rows * inputs];
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = table.Row(i);
            for (int j = 0, k = 0; j < columns; j++)
                if (j == target) y[i] = row[j];
                else x[i * inputs + k++] = row[j];
        }
        var names = table.Columns.Where((_, j) => j != target).ToArray();
        return new Dataset(table.Source, names, table.Columns[target], new DataRows(x, y, inputs));
    }

    /// <summary>
    /// The data file of a configuration; a relative path is read from the configuration's folder. The last file
    /// read is kept, so choosing defaults and building the problem read it once.
    /// </summary>
    public static Dataset Load(RunConfig config)
    {
        if (config.Rows is { } rows) return rows;
        string path = PathOf(config);
        FileInfo info;
        try { info = new FileInfo(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"FitOptions.Data: '{config.Data}' is not a usable path: {e.Message}");
        }
        if (Directory.Exists(path)) throw new InputError($"FitOptions.Data: '{config.Data}' is a folder, not a file");
        if (!info.Exists) throw new InputError($"FitOptions.Data: '{config.Data}' does not exist{(Path.IsPathRooted(config.Data) ? "" : $" (looked in {config.BaseDirectory})")}");
        var columns = new DataColumns { Inputs = config.InputColumns, Drop = config.DropColumns, Target = config.TargetColumn, Targets = config.TargetColumns };
        // A stream (a pipe, /dev/stdin) can be read once only: it is kept by its name alone.
        bool regular = Files.Posix.Kind(info.FullName) == Files.FileKind.Regular;
        var key = (info.FullName, regular ? info.Length : -1, regular ? info.LastWriteTimeUtc : default, columns);
        lock (Gate)
        {
            if (_last is { } last && last.Key == key) return last.Data;
        }
        var data = CsvTable.ReadValues(info.FullName, config.Data, columns, columns.TargetCount).ToDataset(); // the target columns last
        lock (Gate) _last = (key, data);
        return data;
    }

    /// <summary>Where the data file of a configuration is: a relative path is read from the configuration's folder.</summary>
    public static string PathOf(RunConfig config)
    {
        if (config.Data is null) throw new ArgumentException("the configuration has no data file", nameof(config));
        return Path.IsPathRooted(config.Data) ? config.Data : Path.Combine(config.BaseDirectory, config.Data);
    }

    static readonly object Gate = new();
    static ((string, long, DateTime, DataColumns) Key, Dataset Data)? _last;
}
