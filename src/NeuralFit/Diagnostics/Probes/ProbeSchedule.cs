namespace NeuralFit.Diagnostics.Probes;

/// <summary>
/// When to measure: before training, after steps 1, 2, 3, 5, 10, 20, 50, 100, … (logarithmic: the first steps
/// decide most failures), at display steps when there are not too many, and at the last step.
/// </summary>
internal static class ProbeSchedule
{
    public static SortedSet<int> Steps(int totalSteps, int? displayStep)
    {
        var steps = new SortedSet<int> { 0, totalSteps };
        foreach (int s in new[] { 1, 2, 3 }) steps.Add(s);
        for (long decade = 1; decade <= totalSteps; decade *= 10)
            foreach (int m in new[] { 5, 10, 20 })
                steps.Add((int)Math.Min(totalSteps, decade * m));
        if (displayStep is int d && d > 0 && d >= totalSteps / 100)
            for (int s = d; s <= totalSteps; s += d) steps.Add(s);
        steps.RemoveWhere(s => s > totalSteps);
        return steps;
    }
}
