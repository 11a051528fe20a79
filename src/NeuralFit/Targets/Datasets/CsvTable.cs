using System.Globalization;
using System.Text;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// A CSV file of numbers with a header row of column names, read whole: <see cref="Values"/> row-major
/// (<see cref="RowCount"/>, <see cref="Columns"/>.Length). The delimiter is the one of ',', ';' and tab that the
/// header uses most; fields may be double-quoted; blank lines are skipped. Every value must be a finite number.
/// Anything else is an <see cref="InputError"/> naming the file, the line and the column. The file is read a bounded
/// line at a time, so a file that is not CSV (one 100 MB line, binary data) is refused without being loaded.
/// With <c>select</c>, only the named columns are kept (in that order; matched exactly, else by the one name equal
/// ignoring case) and the other cells are not read at all: `neuralfit predict --data` takes a model's inputs from a
/// file that may hold anything else beside them.
/// </summary>
public sealed record CsvTable(string Source, string[] Columns, double[] Values, int RowCount)
{
    /// <summary>Longest line accepted, in characters.</summary>
    public const int MaxLineLength = 1 << 20;
    public const int MaxColumns = 1024;

    /// <summary>Most values (rows × columns) held: 400 MB of float64.</summary>
    public const long MaxValues = 50_000_000;

    /// <summary>Longest file read: the most values, each up to 40 characters with its delimiter. A stream (a pipe,
    /// /dev/stdin) is read up to this and no further, so even one of blank lines ends.</summary>
    public const long MaxFileBytes = 2L << 30;

    static readonly Persistence.InputFile Input = new("data file", "a data file", MaxFileBytes);

    public ReadOnlySpan<double> Row(int i) => Values.AsSpan(i * Columns.Length, Columns.Length);

    public static CsvTable Read(string path, string? displayName = null, IReadOnlyList<string>? select = null)
    {
        string name = displayName ?? path;
        using var reader = new StreamReader(Input.OpenRead(path, name), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(new LineReader(reader, name), name, select);
    }

    public static CsvTable FromText(string text, string name = "data", IReadOnlyList<string>? select = null) =>
        Parse(new LineReader(new StringReader(text), name), name, select);

    static CsvTable Parse(LineReader lines, string name, IReadOnlyList<string>? select)
    {
        string? header = lines.Next();
        while (header is not null && string.IsNullOrWhiteSpace(header)) header = lines.Next();
        if (header is null) throw new InputError($"{name} is empty: expected a header row of column names, then rows of numbers");
        int headerLine = lines.Number;
        header = header.TrimStart('\uFEFF'); // a byte-order mark the reader did not take
        char delimiter = DetectDelimiter(header);
        var columns = Split(header, delimiter, name, headerLine).Select(c => c.Trim()).ToArray();
        CheckHeader(columns, name, headerLine, delimiter, minimumColumns: select is null ? 2 : 1);
        var keep = select is null ? Enumerable.Range(0, columns.Length).ToArray() : select.Select(n => ColumnOf(columns, n, name, select)).ToArray();

        var values = new List<double>();
        int rows = 0;
        string? line;
        while ((line = lines.Next()) is not null)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            int number = lines.Number;
            var fields = Split(line, delimiter, name, number);
            if (fields.Count != columns.Length)
                throw new InputError($"{name} line {number}: {fields.Count} field{(fields.Count == 1 ? "" : "s")}, but the header has {columns.Length} columns ({string.Join(", ", columns)})");
            if ((long)(rows + 1) * keep.Length > MaxValues)
                throw new InputError($"{name}: more than {MaxValues:N0} values; NeuralFit reads at most that many");
            foreach (int j in keep) values.Add(Number(fields[j], columns[j], name, number));
            rows++;
        }
        if (rows == 0) throw new InputError($"{name} has a header row ({string.Join(", ", columns)}) but no rows of data");
        return new CsvTable(name, keep.Select(j => columns[j]).ToArray(), values.ToArray(), rows);
    }

    /// <summary>The column named exactly so, else the only one named so ignoring case.</summary>
    static int ColumnOf(string[] columns, string wanted, string name, IReadOnlyList<string> select)
    {
        int exact = Array.IndexOf(columns, wanted);
        if (exact >= 0) return exact;
        var loose = Enumerable.Range(0, columns.Length).Where(j => string.Equals(columns[j], wanted, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (loose.Length == 1) return loose[0];
        throw new InputError($"{name}: no column '{wanted}' in the header ({string.Join(", ", columns)}){Suggestions.Nearest(wanted, columns)}; needed: {string.Join(", ", select)}");
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
            if (columns[j].Length == 0) throw new InputError($"{name} line {line}: column {j + 1} of the header has no name");
        var repeated = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null) throw new InputError($"{name} line {line}: the column name '{repeated.Key}' appears {repeated.Count()} times; names must be unique");
        if (columns.All(c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out _)))
            throw new InputError($"{name} line {line}: expected a header row of column names, got numbers ({string.Join(delimiter, columns)}); add a first line such as x,y");
    }

    static double Number(string field, string column, string name, int line)
    {
        var text = field.Trim();
        if (text.Length == 0) throw new InputError($"{name} line {line}, column '{column}': missing value");
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new InputError($"{name} line {line}, column '{column}': '{Shorten(text)}' is not a number");
        if (!double.IsFinite(v))
            throw new InputError($"{name} line {line}, column '{column}': '{Shorten(text)}' is not a finite number; remove the row or give a value");
        return v;
    }

    /// <summary>Fields of one line; a field in double quotes may hold the delimiter, and "" stands for one quote.</summary>
    static List<string> Split(string line, char delimiter, string name, int number)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            while (i < line.Length && line[i] == ' ') i++;
            if (i < line.Length && line[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= line.Length) throw new InputError($"{name} line {number}: a quoted field is not closed (fields cannot span lines)");
                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i += 2; continue; }
                        i++;
                        break;
                    }
                    field.Append(line[i++]);
                }
                while (i < line.Length && line[i] != delimiter)
                {
                    if (!char.IsWhiteSpace(line[i])) throw new InputError($"{name} line {number}: unexpected text after a quoted field");
                    i++;
                }
            }
            else
                while (i < line.Length && line[i] != delimiter) field.Append(line[i++]);
            fields.Add(field.ToString());
            field.Clear();
            if (i >= line.Length) return fields;
            i++; // the delimiter
        }
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";

    /// <summary>Lines of at most <see cref="MaxLineLength"/> characters, numbered from 1; \n, \r\n and \r end a line.</summary>
    sealed class LineReader(TextReader reader, string name)
    {
        readonly StringBuilder _line = new();
        public int Number { get; private set; }

        public string? Next()
        {
            _line.Clear();
            int c = reader.Read();
            if (c < 0) return null;
            // Every row holds a value: a file of more lines than values read is refused at once (a stream of blank
            // lines, `yes ''`, would otherwise be read to the byte limit, a character at a time).
            if (++Number > MaxValues) throw new InputError($"{name}: more than {MaxValues:N0} lines; NeuralFit reads at most {MaxValues:N0} values");
            while (c >= 0 && c != '\n' && c != '\r')
            {
                if (c == 0) throw new InputError($"{name} line {Number}: a NUL character; this is not a text file");
                if (_line.Length >= MaxLineLength)
                    throw new InputError($"{name} line {Number} is longer than {MaxLineLength:N0} characters; expected CSV rows of numbers");
                _line.Append((char)c);
                c = reader.Read();
            }
            if (c == '\r' && reader.Peek() == '\n') reader.Read();
            return _line.ToString();
        }
    }
}
