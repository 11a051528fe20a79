using NeuralFit.Configuration;

namespace NeuralFit.Question;

/// <summary>
/// What a claim's words commit to, as a test of one run: a named check with its threshold shown, so the table can
/// say what each claim was held to. <see cref="Positive"/> claims promise that something works; the others that it
/// does not (the question's own collapse, "not enough", "cannot fit").
/// </summary>
internal sealed record Criterion(string Test, bool Positive, Func<ReplicaRun, bool> Holds)
{
    /// <summary>"only ever answers y = −1.00": the output is a constant (its spread under 0.01, against the target's
    /// 0.89 on [0.01, 1]) within 0.05 of −1.</summary>
    public static readonly Criterion AnswersMinusOne =
        new("answers −1: output std < 0.01", Positive: false, r => r.OutputStd < 0.01 && Math.Abs(r.OutputMean + 1) < 0.05);

    /// <summary>
    /// "makes it work", said of a network that answered a constant: it now follows ln(x). R² ≥ 0.9 is a curve, not a
    /// constant (the collapse explains 0 % of the variance, this at least 90 %); it is not a fit to 1e-4, which the
    /// common bar checks separately.
    /// </summary>
    public static readonly Criterion EscapesCollapse = new("follows ln(x): R² ≥ 0.9", Positive: true, r => r.R2 >= 0.9);

    /// <summary>"not enough": the network still does not follow ln(x) (R² below 0.9).</summary>
    public static readonly Criterion StaysCollapsed = new("no curve: R² < 0.9", Positive: false, r => !(r.R2 >= 0.9));

    /// <summary>"cannot fit": the grid MSE stays above the question's bar.</summary>
    public static readonly Criterion CannotFit = new($"MSE > {QuestionVariants.SuccessMse:0e+0}", Positive: false, r => !(r.Mse <= QuestionVariants.SuccessMse));

    /// <summary>A claim of accuracy: the grid MSE at most <paramref name="mse"/>.</summary>
    public static Criterion FitsTo(double mse) => new($"MSE ≤ {mse:0e+0}", Positive: true, r => r.Mse <= mse);

    /// <summary>A claim of time: one run's training within <paramref name="seconds"/>.</summary>
    public static Criterion Within(double seconds) => new($"in ≤ {seconds:0} s", Positive: true, r => r.WallSeconds <= seconds);

    /// <summary>A claim about what the diagnosis sees: the finding reported at warning or error.</summary>
    public static Criterion Reports(string code) => new(code, Positive: true, r => r.Codes.Contains(code));
}

/// <summary>
/// One scenario from the question thread: its configuration, who proposed it, what they claimed (short, in their
/// words) and the criteria those words carry.
/// </summary>
internal sealed record Variant(string Name, string Source, string Claim, IReadOnlyList<Criterion> Criteria, RunConfig Config)
{
    /// <summary>The claim promises that something works (all its criteria are positive), or that it does not.</summary>
    public bool Positive => Criteria.All(c => c.Positive);

    public string Test => string.Join(", ", Criteria.Select(c => c.Test));
}
