namespace NeuralFit.Targets.Expressions;

/// <summary>"Did you mean" for an expression: the known function, constant or input name nearest to an unknown one,
/// when it is near enough to be a typo (distance by <see cref="NeuralFit.Suggestions.Distance"/>).</summary>
internal static class NameSuggestions
{
    /// <param name="name">The unknown name as written.</param>
    /// <param name="called">Whether '(' follows it, so only a function fits.</param>
    public static string? Closest(string name, bool called)
    {
        string[] candidates = called ? [.. Functions.Names] : [.. NamedConstants.Names, "x", .. Functions.Names];

        // Names are lowercase; Sin, PI and X1 are the commonest slips, and farther than edit distance allows.
        string lower = name.ToLowerInvariant();
        if (lower != name && (candidates.Contains(lower) || (!called && IsNumberedInput(lower)))) return lower;

        // One edit in a short name is a different name ('y' is not a typo for 'e'); longer names allow two.
        int allowed = name.Length switch { <= 1 => 0, <= 4 => 1, _ => 2 };
        string? best = null;
        int bestDistance = allowed + 1;
        foreach (string candidate in candidates)
        {
            if (Math.Abs(candidate.Length - name.Length) >= bestDistance) continue; // also keeps huge names cheap
            int distance = NeuralFit.Suggestions.Distance(name, candidate);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return best;
    }

    static bool IsNumberedInput(string name) => name.Length > 1 && name[0] == 'x' && !name.AsSpan(1).ContainsAnyExceptInRange('0', '9');
}
