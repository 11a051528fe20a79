using System.Text;

namespace NeuralFit.Cli.Terminal;

/// <summary>A plain-text table: left-aligned first column, right-aligned numbers, a rule under the header.</summary>
static class Table
{
    public static string Render(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var s = new StringBuilder();
        void Line(IReadOnlyList<string> cells)
        {
            s.Append("  ");
            for (int i = 0; i < cells.Count; i++)
                s.Append(i == 0 || i == cells.Count - 1 ? cells[i].PadRight(widths[i]) : cells[i].PadLeft(widths[i])).Append(i < cells.Count - 1 ? "  " : "");
            s.AppendLine();
        }
        Line(header);
        s.Append("  ").AppendLine(new string('-', widths.Sum() + 2 * (widths.Length - 1)));
        foreach (var r in rows) Line(r);
        return s.ToString();
    }
}
