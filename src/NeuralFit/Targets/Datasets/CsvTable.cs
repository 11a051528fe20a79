using System.Globalization;
using System.Text;
using NeuralFit.Files;
using csFastFloat;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// A CSV file of numbers with a header row of column names, read whole: <see cref="Values"/> row-major
/// (<see cref="RowCount"/>, <see cref="Columns"/>.Length). The delimiter is the one of ',', ';' and tab that the
/// header uses most; fields may be double-quoted as RFC 4180 has it (holding delimiters, line breaks, "" for a
/// quote); blank lines are skipped. Every value must be a finite number. Anything else is an <see cref="InputError"/>
/// naming the file, the line and the column. The file is read a bounded record at a time (<see cref="CsvRecords"/>),
/// so a file that is not CSV (one 100 MB line, binary data) is refused without being loaded.
/// <see cref="DataColumns"/> says which columns are kept (in that order); the other cells are not read at all:
/// `neuralfit predict --data` takes a model's inputs from a file that may hold anything else beside them, and a fit
/// may leave out an ID column. An unnamed first column that counts the rows is taken as their index and left out,
/// as <see cref="Notes"/> says.
/// </summary>
internal sealed record CsvTable(string Source, string[] Columns, double[] Values, int RowCount)
{
    /// <summary>Longest line accepted, in characters.</summary>
    public const int MaxLineLength = 1 << 20;
    public const int MaxColumns = 1024;

    /// <summary>Most values (rows × columns) held: 400 MB of float64.</summary>
    public const long MaxValues = 50_000_000;

    /// <summary>Longest file read: the most values, each up to 40 characters with its delimiter. A stream (a pipe,
    /// /dev/stdin) is read up to this and no further.</summary>
    public const long MaxFileBytes = 2L << 30;

    static readonly Files.InputFile Input = new("data file", "a data file", MaxFileBytes);

    /// <summary>What the reader decided that the user should hear of, e.g. an index column left out.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Columns.Length, Columns.Length);

    public static CsvTable Read(string path, string? displayName = null, IReadOnlyList<string>? select = null) =>
        Read(path, displayName, select is null ? DataColumns.All : DataColumns.Exactly(select));

    public static CsvTable Read(string path, string? displayName, DataColumns columns) => ReadValues(path, displayName, columns, targets: 0).ToTable();

    /// <summary>A file read, its last <paramref name="targets"/> kept columns apart from the others: <see cref="Dataset.Load"/>
    /// takes them as the targets and the others as the inputs, without the whole table between.</summary>
    internal static CsvValues ReadValues(string path, string? displayName, DataColumns columns, int targets)
    {
        string name = displayName ?? path;
        using var stream = Input.OpenRead(path, name);
        long? rows = Files.Posix.Kind(Path.GetFullPath(path)) == Files.FileKind.Regular ? RowValues.LineBound(path) : null;
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(new CsvRecords(reader, name), name, columns, targets, rows);
    }

    public static CsvTable FromText(string text, string name = "data", IReadOnlyList<string>? select = null) =>
        FromText(text, name, select is null ? DataColumns.All : DataColumns.Exactly(select));

    public static CsvTable FromText(string text, string name, DataColumns columns) =>
        Parse(new CsvRecords(new StringReader(text), name), name, columns, targets: 0, rowBound: null).ToTable();

    static CsvValues Parse(CsvRecords records, string name, DataColumns choice, int targets, long? rowBound)
    {
        string? first = records.PeekFirstLine();
        if (first is null) throw new InputError($"{name} is empty: expected a header row of column names, then rows of numbers");
        char delimiter = DetectDelimiter(first.TrimStart('\uFEFF'));
        records.Next(delimiter);
        int headerLine = records.Line;
        var header = Enumerable.Range(0, records.FieldCount).Select(j => records[j].ToString()).ToArray();
        header[0] = header[0].TrimStart('\uFEFF'); // a byte-order mark the reader did not take
        var columns = header.Select(c => OneLine(c).Trim()).ToArray(); // a name quoted across lines reads as one line
        CheckHeader(columns, name, headerLine, delimiter, minimumColumns: choice.Selected is null ? 2 : 1);
        var (keep, index) = choice.Choose(columns, name);
        var names = keep.Select(j => NameOf(columns, j)).ToArray();

        var rowIndex = new RowIndex(name);
        var values = new RowValues(keep.Length, targets, rowBound);
        ReadRows(records, delimiter, columns, keep, names, index is int at ? (at, rowIndex) : null, name, values);
        if (values.Rows == 0) throw new InputError($"{name} has a header row ({string.Join(", ", columns)}) but no rows of data");
        var (others, lasts) = values.ToArrays();
        return new CsvValues(name, names, others, lasts, values.Rows,
            index is null ? [] : [$"{name}: its first column has no name and counts the rows ({rowIndex.Start}, {rowIndex.Start + 1}, {rowIndex.Start + 2}, …), so it was taken as their index and left out"]);
    }

    /// <summary>The rows after the header: the kept columns' numbers, row by row.</summary>
    static void ReadRows(CsvRecords records, char delimiter, string[] columns, int[] keep, string[] names, (int Column, RowIndex Check)? index, string name, RowValues values)
    {
        var row = new double[keep.Length];
        int rows = 0;
        while (records.Next(delimiter))
        {
            if (records.FieldCount == 1 && records[0].IsWhiteSpace()) continue; // a blank line
            int number = records.Line;
            if (records.FieldCount != columns.Length)
                throw new InputError($"{name} line {number}: {records.FieldCount} field{(records.FieldCount == 1 ? "" : "s")}, but the header has {columns.Length} columns ({string.Join(", ", columns)})");
            if ((long)(rows + 1) * keep.Length > MaxValues)
                throw new InputError($"{name}: more than {MaxValues:N0} values; NeuralFit reads at most that many");
            if (index is { } ix) ix.Check.Check(records[ix.Column], rows, number);
            for (int k = 0; k < keep.Length; k++) row[k] = Number(records[keep[k]], names[k], name, number);
            values.Add(row);
            rows++;
        }
    }

    /// <summary>A column's name; one without a name is known by its position, #1 for the first.</summary>
    static string NameOf(string[] columns, int j) => columns[j].Length > 0 ? columns[j] : $"#{j + 1}";

    /// <summary>Checks that an unnamed first column counts the rows from 0 or 1, as pandas' and R's row labels do.</summary>
    sealed class RowIndex(string name)
    {
        public long Start { get; private set; }

        public void Check(ReadOnlySpan<char> field, int row, int line)
        {
            bool whole = long.TryParse(field.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v);
            if (row == 0 && whole && v is 0 or 1) Start = v;
            if (!whole || v != Start + row)
                throw new InputError($"{name} line {line}: column 1 of the header has no name and is not a row index counting 0, 1, 2, … " +
                                     $"(it holds '{Shorten(field.Trim().ToString())}' where {(row == 0 ? "0 or 1" : (Start + row).ToString(CultureInfo.InvariantCulture))} would be); " +
                                     "name it in the header, or leave it out with FitOptions.DropColumns '#1'");
        }
    }

    static char DetectDelimiter(string header)
    {
        char best = ',';
        int most = 0;
        foreach (char c in new[] { ',', ';', '\t' })
        {
            int count = header.Count(h => h == c);
            if (count > most) (best, most) = (c, count);
        }
        return best;
    }

    static void CheckHeader(string[] columns, string name, int line, char delimiter, int minimumColumns)
    {
        if (columns.Length > MaxColumns) throw new InputError($"{name} line {line}: {columns.Length} columns; at most {MaxColumns} are read");
        if (columns.Length < minimumColumns)
            throw new InputError($"{name} line {line}: the header names one column ('{columns[0]}'); expected at least one input column and a target column, separated by commas");
        for (int j = 0; j < columns.Length; j++)
            if (columns[j].FirstOrDefault(InputNames.IsHidden) is var c and not '\0')
                throw new InputError($"{name} line {line}: the name of column {j + 1} holds the control character U+{(int)c:X4}; names are printed and typed, so they hold none");
        var repeated = columns.Where(c => c.Length > 0).GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new InputError($"{name} line {line}: the column name '{repeated.Key}' appears {repeated.Count()} times; names must be unique");
        if (columns.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new InputError($"{name} line {line}: expected a header row of column names, got numbers ({string.Join(delimiter, columns)}); add a first line such as x,y");
    }

    /// <summary>
    /// A field's number. csFastFloat (Lemire's algorithm, exact like .NET's parser and 2–3× faster on the 17 digits
    /// that pandas writes) reads it when it takes the whole field and gives a finite number; anything else goes to
    /// .NET's parser, which decides what is accepted beyond that and what an error says.
    /// </summary>
    static double Number(ReadOnlySpan<char> field, string column, string name, int line)
    {
        if (FastDoubleParser.TryParseDouble(field, out int used, out double fast) && used == field.Length && double.IsFinite(fast)) return fast;
        var text = field.Trim();
        if (text.Length == 0) throw new InputError($"{name} line {line}, column '{column}': missing value");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new InputError($"{name} line {line}, column '{column}': '{Shorten(text.ToString())}' is not a number");
        if (!double.IsFinite(v))
            throw new InputError($"{name} line {line}, column '{column}': '{Shorten(text.ToString())}' is not a finite number; remove the row or give a value");
        return v;
    }

    /// <summary>A field as an error message shows it: on one line (a quoted field may hold line breaks), at most 40 characters.</summary>
    static string Shorten(string s)
    {
        s = OneLine(s);
        return s.Length <= 40 ? s : s[..37] + "...";
    }

    static string OneLine(string s) => s.ReplaceLineEndings(" ");
}
