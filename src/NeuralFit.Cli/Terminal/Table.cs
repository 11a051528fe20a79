using System.Text;

namespace NeuralFit.Cli.Terminal;

/// <summary>A plain-text table: text columns left-aligned, numeric ones right-aligned, a rule under the header.</summary>
static class Table
{
    public static string Render(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var numeric = header.Select((_, i) => rows.Count > 0 && rows.All(r => r[i].Length == 0 || char.IsDigit(r[i][0]) || r[i][0] is '-' or '—' or '.')).ToArray();
        var s = new StringBuilder();
        void Line(IReadOnlyList<string> cells) =>
            s.AppendLine(("  " + string.Join("  ", cells.Select((c, i) => numeric[i] ? c.PadLeft(widths[i]) : c.PadRight(widths[i])))).TrimEnd());
        Line(header);
        s.Append("  ").AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) Line(r);
        return s.ToString();
    }
}
