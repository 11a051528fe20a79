using System.Globalization;

namespace NeuralFit.Cli.Prediction;

/// <summary>
/// The points to predict at, row-major (n, inputs), from --x flags ("0.5", or "0.1,0.2" for several inputs) or a
/// CSV file whose header names the model's inputs (matched by name, in any order; other columns ignored).
/// </summary>
static class PredictionInputs
{
    public const long MaxCsvBytes = 1L << 30;

    public static double[] FromFlags(IReadOnlyList<string> values, IReadOnlyList<string> names)
    {
        var x = new List<double>();
        foreach (var text in values)
        {
            var parts = text.Split(',');
            if (parts.Length != names.Count)
                throw new InputError($"--x {text}: the model takes {names.Count} input{(names.Count == 1 ? "" : "s")} ({string.Join(", ", names)}), got {parts.Length} value{(parts.Length == 1 ? "" : "s")}"
                    + (names.Count > 1 ? $"; write them as --x {string.Join(",", names.Select((_, i) => i == 0 ? "0.1" : "0.2"))}" : ""));
            foreach (var part in parts) x.Add(Number(part, $"--x {text}"));
        }
        return x.ToArray();
    }

    public static double[] FromCsv(string path, IReadOnlyList<string> names)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputError($"data file '{path}' does not exist");
        if (info.Length > MaxCsvBytes) throw new InputError($"data file '{path}' is {info.Length:N0} bytes; at most {MaxCsvBytes:N0}");
        string file = Path.GetFileName(path);
        using var reader = OpenText(path);
        string? header = reader.ReadLine();
        int lineNumber = 1;
        while (header is not null && header.Trim().Length == 0) { header = reader.ReadLine(); lineNumber++; }
        if (header is null) throw new InputError($"{file}: the file is empty; expected a header row naming the inputs ({string.Join(", ", names)})");
        var columns = Split(header.TrimStart('\uFEFF')).Select(c => c.Trim()).ToArray();
        var index = names.Select(n => Column(columns, n, file, names)).ToArray();

        var x = new List<double>();
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Trim().Length == 0) continue;
            var cells = Split(line);
            if (cells.Length != columns.Length)
                throw new InputError($"{file}: line {lineNumber} has {cells.Length} fields, but the header has {columns.Length}");
            for (int k = 0; k < index.Length; k++)
                x.Add(Number(cells[index[k]], $"{file}: line {lineNumber}, column '{columns[index[k]]}'"));
        }
        if (x.Count == 0) throw new InputError($"{file}: no rows under the header");
        return x.ToArray();
    }

    static StreamReader OpenText(string path)
    {
        try { return new StreamReader(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"data file '{path}' cannot be read: {e.Message}");
        }
    }

    /// <summary>The column named exactly as the input, else the only one named so ignoring case.</summary>
    static int Column(string[] columns, string name, string file, IReadOnlyList<string> names)
    {
        int exact = Array.IndexOf(columns, name);
        if (exact >= 0) return exact;
        var loose = columns.Select((c, i) => (c, i)).Where(p => string.Equals(p.c, name, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (loose.Length == 1) return loose[0].i;
        throw new InputError($"{file}: no column '{name}' in the header ({string.Join(", ", columns)}); the model's inputs are {string.Join(", ", names)}");
    }

    /// <summary>Comma-separated fields; a field in double quotes may hold commas ("" is a quote).</summary>
    static string[] Split(string line)
    {
        if (!line.Contains('"')) return line.Split(',');
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
            else if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }

    static double Number(string text, string where)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new InputError($"{where}: '{text.Trim()}' is not a number");
        if (!double.IsFinite(v)) throw new InputError($"{where}: '{text.Trim()}' is not a finite number");
        return v;
    }
}
