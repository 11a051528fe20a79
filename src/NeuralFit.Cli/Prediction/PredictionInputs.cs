using System.Globalization;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Cli.Prediction;

/// <summary>
/// The points to predict at, row-major (n, inputs), from --x flags ("0.5", or "0.1,0.2" for several inputs) or a
/// CSV file whose header names the model's inputs (matched by name, in any order; other columns ignored).
/// </summary>
static class PredictionInputs
{
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

    /// <summary>The model's input columns of a CSV file, read by the same reader as training data.</summary>
    public static double[] FromCsv(string path, IReadOnlyList<string> names) =>
        CsvTable.Read(path, Path.GetFileName(path), names).Values;

    static double Number(string text, string where)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw new InputError($"{where}: '{text.Trim()}' is not a number");
        if (!double.IsFinite(v)) throw new InputError($"{where}: '{text.Trim()}' is not a finite number");
        return v;
    }
}
