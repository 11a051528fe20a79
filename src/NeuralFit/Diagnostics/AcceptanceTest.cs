namespace NeuralFit.Diagnostics;

/// <summary>
/// When the doctor keeps a fix, stated once, printed with every doctor report, and applied as printed: its replay
/// must at least halve the MSE on the evaluation set of the run it fixes (a change a replay with the same seed and
/// data cannot show by chance), must not raise the max |error| there (a fix that trades a few bad points for many
/// better ones is not a repair), and must not diverge. Of the replays that pass, the one with the lowest MSE is kept.
/// </summary>
public static class AcceptanceTest
{
    public const double RequiredImprovement = 0.5;

    /// <summary>A change of MSE smaller than 10 % either way is reported as "no better": within run-to-run wobble
    /// of a fix that does nothing to the cause.</summary>
    const double Wobble = 0.1;

    public static string Describe(string evaluation) =>
        $"a fix is kept when its replay at least halves the MSE on {evaluation}, does not raise the max |error| there, and does not diverge; of those that pass, the lowest MSE is kept";

    public static ReplayVerdict Judge(RunOutcome before, RunOutcome after)
    {
        double b = before.Evaluation.Mse, a = after.Evaluation.Mse;
        if (after.Diverged || !double.IsFinite(a)) return ReplayVerdict.Diverged;
        if (a <= RequiredImprovement * b)
            return after.Evaluation.MaxAbsError > before.Evaluation.MaxAbsError ? ReplayVerdict.MaxErrorGrew : ReplayVerdict.Passes;
        if (a < (1 - Wobble) * b) return ReplayVerdict.Better;
        if (a > (1 + Wobble) * b) return ReplayVerdict.Worse;
        return ReplayVerdict.NoBetter;
    }
}
