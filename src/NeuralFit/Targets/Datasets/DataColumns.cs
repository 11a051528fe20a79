namespace NeuralFit.Targets.Datasets;

/// <summary>
/// Which columns of a CSV file are read: exactly the <see cref="Selected"/> ones (predict's inputs), or, for a fit,
/// the <see cref="Inputs"/> given (else every column), less the <see cref="Drop"/>ped ones, with the
/// <see cref="Target"/> (else the last column left) placed last; with several <see cref="Targets"/>, they are placed
/// last in their order. Columns are named as in the header, matched exactly,
/// else by the one name equal ignoring case; a column without a name is called by its position, "#1" for the first.
/// An unnamed first column that no choice mentions may be a row index (as pandas and R write them): the reader
/// checks that it counts 0, 1, 2, … (or 1, 2, 3, …) and leaves it out, and otherwise asks for it to be named or dropped.
/// </summary>
internal sealed record DataColumns
{
    public IReadOnlyList<string>? Selected { get; init; }
    public IReadOnlyList<string>? Inputs { get; init; }
    public IReadOnlyList<string> Drop { get; init; } = [];
    public string? Target { get; init; }

    /// <summary>Several target columns (several outputs), in order; when set, <see cref="Target"/> is not used.</summary>
    public IReadOnlyList<string>? Targets { get; init; }

    /// <summary>How many target columns the chosen columns end with.</summary>
    public int TargetCount => Targets?.Count ?? 1;

    public static readonly DataColumns All = new();

    public static DataColumns Exactly(IReadOnlyList<string> names) => new() { Selected = names };

    /// <summary>The columns kept, in order, and the column to check as a row index (if any).</summary>
    public (int[] Keep, int? Index) Choose(string[] header, string source)
    {
        var named = header.Select((h, j) => h.Length > 0 ? h : $"#{j + 1}").ToArray();
        if (Selected is not null) return (Selected.Select(n => Find(named, n, source, "needed", Selected)).ToArray(), null);

        var drop = Drop.Select(n => Find(named, n, source, "FitOptions.DropColumns")).ToHashSet();
        var inputs = Inputs?.Select(n => Find(named, n, source, "FitOptions.InputColumns")).ToArray();
        var targetNames = Targets ?? (Target is null ? null : [Target]);
        string targetProperty = Targets is null ? "FitOptions.TargetColumn" : "FitOptions.TargetColumns";
        var targets = targetNames?.Select(n => Find(named, n, source, targetProperty)).ToArray();
        if (targets?.GroupBy(j => j).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InputError($"{source}: column '{named[twice.Key]}' is given twice in {targetProperty}");
        foreach (int j in inputs ?? [])
            if (drop.Contains(j)) throw new InputError($"{source}: column '{named[j]}' is given both as FitOptions.InputColumns and FitOptions.DropColumns");
        foreach (int t in targets ?? [])
        {
            if (drop.Contains(t)) throw new InputError($"{source}: column '{named[t]}' is given both as {targetProperty} and FitOptions.DropColumns");
            if (inputs is not null && inputs.Contains(t)) throw new InputError($"{source}: column '{named[t]}' is given both as FitOptions.InputColumns and {targetProperty}");
        }

        bool Mentioned(int j) => drop.Contains(j) || (inputs?.Contains(j) ?? false) || (targets?.Contains(j) ?? false);
        int? index = header[0].Length == 0 && !Mentioned(0) ? 0 : null;
        var left = Enumerable.Range(0, header.Length).Where(j => !drop.Contains(j) && j != index).ToList();
        targets ??= [(inputs is null ? left : left.Where(j => !inputs.Contains(j))).Cast<int?>().LastOrDefault()
                     ?? throw new InputError($"{source}: every column is an input; name the target column with FitOptions.TargetColumn")];
        var keep = (inputs ?? left.Where(j => !targets.Contains(j)).ToArray()).Concat(targets).Distinct().ToArray();
        if (keep.Length < targets.Length + 1)
            throw new InputError($"{source}: only {string.Join(", ", keep.Select(j => $"'{named[j]}'"))} {(keep.Length == 1 ? "is" : "are")} left; a fit needs at least one input column and a target column");
        foreach (int j in keep)
            if (header[j].Length == 0 && !Mentioned(j))
                throw new InputError($"{source}: column {j + 1} of the header has no name; name it in the header, or leave it out with FitOptions.DropColumns '#{j + 1}'");
        return (keep, index);
    }

    /// <summary>The column named exactly so, else the only one named so ignoring case.</summary>
    static int Find(string[] columns, string wanted, string source, string what, IReadOnlyList<string>? all = null)
    {
        int exact = Array.IndexOf(columns, wanted);
        if (exact >= 0) return exact;
        var loose = Enumerable.Range(0, columns.Length).Where(j => string.Equals(columns[j], wanted, StringComparison.OrdinalIgnoreCase)).ToArray();
        if (loose.Length == 1) return loose[0];
        string known = $"({string.Join(", ", columns)}){Suggestions.Nearest(wanted, columns)}";
        throw new InputError(all is null
            ? $"{what}: {source} has no column '{wanted}' {known}"
            : $"{source}: no column '{wanted}' in the header {known}; {what}: {string.Join(", ", all)}");
    }
}
