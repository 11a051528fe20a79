using System.Globalization;
using NeuralFit.Configuration;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// A fit's inputs, their ranges and the point of the largest error. A few short ranges read well inline ("on -1:1,
/// 0:2"); ten of a data file made a 600-character first line and an unnamed 10-tuple, so beyond that they are a table
/// with the inputs' names.
/// </summary>
static class InputTable
{
    static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Most inputs, and characters of their ranges, written inline.</summary>
    const int MaxInline = 3, MaxInlineLength = 60;

    public static bool Inline(IReadOnlyList<Interval> ranges) =>
        ranges.Count <= MaxInline && string.Join(", ", ranges).Length <= MaxInlineLength;

    /// <summary>"0:1", "-1:1, 0:2", or "10 inputs (table below)".</summary>
    public static string Ranges(IReadOnlyList<Interval> ranges) =>
        Inline(ranges) ? string.Join(", ", ranges) : $"{ranges.Count} inputs (table below)";

    /// <summary>The table: each input's name and range, and where the largest error is when known.</summary>
    public static string Render(IReadOnlyList<string> names, IReadOnlyList<Interval> ranges, double[] worst)
    {
        bool withWorst = worst.Length == ranges.Count;
        var rows = ranges.Select((r, k) => withWorst
            ? new[] { names[k], Number(r.Lo), Number(r.Hi), Number(worst[k]) }
            : new[] { names[k], Number(r.Lo), Number(r.Hi) }).ToList();
        string[] header = withWorst ? ["input", "from", "to", "max |error| at"] : ["input", "from", "to"];
        return Table.Render(header, rows);
    }

    static string Number(double v) => v.ToString("G6", Inv).Replace('E', 'e');
}
