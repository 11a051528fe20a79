using static NeuralFit.Diagnostics.FindingCodes;

namespace NeuralFit.Diagnostics;

/// <summary>One link of the explanation: a finding code and what the run showed for it.</summary>
public sealed record CauseStep(string Code, string Text);

/// <summary>
/// Orders findings into causes and consequences: the longest path, through the findings present at warning or
/// error, in a fixed graph of what can cause what, ending at the visible symptom when there is one.
/// </summary>
internal static class CauseChain
{
    /// <summary>cause → the findings it can produce.</summary>
    static readonly Dictionary<string, string[]> Causes = new()
    {
        [BadInit] = [ExplodingGradients, DeadUnits, SaturatedUnits, VanishingGradients, CollapsedOutput, EffectivelyLinear, Plateau],
        [UnscaledInputs] = [ExplodingGradients, SaturatedUnits, DeadUnits, EffectivelyLinear, Plateau],
        [UnscaledTargets] = [ExplodingGradients, SaturatedUnits, DeadUnits, CollapsedOutput, Plateau],
        [NonFiniteTargets] = [Diverged, HeavyTailedTargets],
        [HeavyTailedTargets] = [ExplodingGradients, CollapsedOutput, Plateau],
        [LearningRateTooHigh] = [ExplodingGradients, Diverged, DeadUnits, SaturatedUnits, CollapsedOutput, Plateau],
        [ExplodingGradients] = [Diverged, DeadUnits, SaturatedUnits],
        [DeadUnits] = [CollapsedOutput, EffectivelyLinear, VanishingGradients, Plateau],
        [SaturatedUnits] = [VanishingGradients, CollapsedOutput, Plateau],
        [VanishingGradients] = [CollapsedOutput, EffectivelyLinear, Plateau],
        [LearningRateTooLow] = [Plateau, Undertrained, CollapsedOutput], // steps too small to move keep the start's near-constant answer
        [InsufficientCapacity] = [CollapsedOutput, Plateau], // a network that cannot follow the detail averages it out
        [EffectivelyLinear] = [Plateau],
    };

    /// <summary>What the user sees: a chain ends at one of these when it can.</summary>
    static readonly HashSet<string> Symptoms = [CollapsedOutput, Plateau, Diverged, EffectivelyLinear, Overfitting, Undertrained];

    public static IReadOnlyList<CauseStep> Build(IReadOnlyList<Finding> findings)
    {
        var present = findings.Where(f => f.Severity >= Severity.Warning).GroupBy(f => f.Code)
            .ToDictionary(g => g.Key, g => g.ToList());
        if (present.Count == 0) return [];
        List<string> best = [];
        foreach (var start in present.Keys)
            foreach (var path in Paths(start, present.Keys.ToHashSet(), [start]))
                if (Better(path, best, present)) best = path;
        return best.Select(code => new CauseStep(code, string.Join(" ", present[code].Select(f => f.Message)))).ToList();
    }

    static IEnumerable<List<string>> Paths(string from, HashSet<string> present, List<string> path)
    {
        yield return path;
        foreach (var next in Causes.GetValueOrDefault(from, []))
            if (present.Contains(next) && !path.Contains(next))
                foreach (var p in Paths(next, present, [.. path, next]))
                    yield return p;
    }

    /// <summary>Prefer chains that end at a symptom, then longer ones, then ones with more errors.</summary>
    static bool Better(List<string> a, List<string> b, Dictionary<string, List<Finding>> present)
    {
        if (b.Count == 0) return true;
        int Score(List<string> p) => (Symptoms.Contains(p[^1]) ? 1000 : 0) + 10 * p.Count + p.Count(c => present[c].Any(f => f.Severity == Severity.Error));
        return Score(a) > Score(b);
    }
}
