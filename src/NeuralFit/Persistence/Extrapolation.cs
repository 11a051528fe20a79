using System.Globalization;
using NeuralFit.Configuration;

namespace NeuralFit.Persistence;

/// <summary>
/// Which points lie outside the ranges a model was trained on (its domain: the expression's, or a data file's input
/// ranges), and the farthest of them. A network has seen nothing there: ln(x) fitted on 0.01:1 answers 0.008 at
/// x = 2, where ln 2 = 0.693. Distances are compared in range widths, so inputs of any scale weigh alike; the worst
/// is also given in the input's own units.
/// </summary>
public sealed record Extrapolation
{
    /// <summary>Per point: true when some input lies outside its training range.</summary>
    public required bool[] Outside { get; init; }

    public int Count { get; init; }

    /// <summary>The farthest point outside (-1 when none), the input that is farthest out, and by how much, in that
    /// input's units and in widths of its range.</summary>
    public int WorstPoint { get; init; } = -1;
    public int WorstInput { get; init; } = -1;
    public double WorstDistance { get; init; }
    public double WorstWidths { get; init; }

    /// <summary>x row-major (n, ranges.Count); no ranges (a model file that does not record them) finds nothing outside.</summary>
    internal static Extrapolation Check(IReadOnlyList<Interval> ranges, ReadOnlySpan<double> x)
    {
        int d = Math.Max(1, ranges.Count), n = x.Length / d;
        var outside = new bool[n];
        if (ranges.Count == 0) return new Extrapolation { Outside = outside };
        int count = 0, worstPoint = -1, worstInput = -1;
        double worstDistance = 0, worstWidths = 0;
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                double v = x[i * d + k], distance = Math.Max(ranges[k].Lo - v, v - ranges[k].Hi);
                if (!(distance > 0)) continue;
                if (!outside[i]) (outside[i], count) = (true, count + 1);
                double widths = distance / ranges[k].Width;
                if (widths > worstWidths) (worstPoint, worstInput, worstDistance, worstWidths) = (i, k, distance, widths);
            }
        return new Extrapolation { Outside = outside, Count = count, WorstPoint = worstPoint, WorstInput = worstInput, WorstDistance = worstDistance, WorstWidths = worstWidths };
    }

    /// <summary>One line for the user, or null when every point is inside: "2 of 3 points lie outside the training
    /// range; the farthest: x = 2 is 1 beyond x's range 0.01:1 (1.01 range widths); predictions there are
    /// extrapolations, not fitted values".</summary>
    internal string? Warning(IReadOnlyList<string> names, IReadOnlyList<Interval> ranges, ReadOnlySpan<double> x)
    {
        if (Count == 0) return null;
        var inv = CultureInfo.InvariantCulture;
        int d = ranges.Count;
        string point = d == 1 ? $"{names[0]} = {x[WorstPoint].ToString("G6", inv)}"
            : $"({string.Join(", ", x.Slice(WorstPoint * d, d).ToArray().Select(v => v.ToString("G6", inv)))})";
        string distance = $"{point} is {WorstDistance.ToString("G4", inv).Replace('E', 'e')} beyond {names[WorstInput]}'s range {ranges[WorstInput]} " +
                          $"({WorstWidths.ToString("G3", inv).Replace('E', 'e')} range width{(WorstWidths == 1 ? "" : "s")})";
        string range = d == 1 ? "the training range" : "the training ranges";
        return (Count == 1 && Outside.Length == 1 ? $"the point lies outside {range}: {distance}"
                   : $"{Count} of {Outside.Length} points {(Count == 1 ? "lies" : "lie")} outside {range}; {(Count == 1 ? "it" : "the farthest")}: {distance}")
               + "; predictions there are extrapolations, not fitted values";
    }
}
