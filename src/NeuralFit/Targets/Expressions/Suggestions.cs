namespace NeuralFit.Targets.Expressions;

/// <summary>"Did you mean": the known name nearest to an unknown one, when it is near enough to be a typo.</summary>
internal static class Suggestions
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
            int distance = Distance(name, candidate);
            if (distance < bestDistance) (best, bestDistance) = (candidate, distance);
        }
        return best;
    }

    static bool IsNumberedInput(string name) => name.Length > 1 && name[0] == 'x' && !name.AsSpan(1).ContainsAnyExceptInRange('0', '9');

    /// <summary>Damerau–Levenshtein distance (optimal string alignment): inserts, deletes, substitutions, swaps of neighbours.</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
        for (int j = 1; j <= b.Length; j++)
        {
            int substitution = d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            d[i, j] = Math.Min(substitution, Math.Min(d[i - 1, j], d[i, j - 1]) + 1);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }
}
