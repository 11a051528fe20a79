namespace NeuralFit.Diagnostics;

/// <summary>
/// When the doctor keeps a fix, stated once, printed with every doctor report, and applied as printed: its replay
/// must at least halve the MSE on the evaluation set of the run it fixes (a change a replay with the same seed and
/// data cannot show by chance), must not raise the max |error| there (a fix that trades a few bad points for many
/// better ones is not a repair), and must not diverge. Of the replays that pass, the one with the lowest MSE is kept.
/// For a data file, what a fix can remove is the error above the data's noise, so it is that part which must halve
/// (<see cref="NeuralFit.Evaluation.LocalNoise.Ceiling"/>; an expression has none).
/// </summary>
internal static class AcceptanceTest
{
    public const double RequiredImprovement = 0.5;

    /// <summary>A change of MSE smaller than 10 % either way is reported as "no better": within run-to-run wobble
    /// of a fix that does nothing to the cause.</summary>
    const double Wobble = 0.1;

    public static string Describe(RunOutcome run)
    {
        string where = run.Evaluation.Domain.EndsWith(" set", StringComparison.Ordinal) ? "the " + run.Evaluation.Domain : run.Evaluation.Domain;
        string mse = run.NoiseCeiling is double noise ? $"the MSE on {where} above what the data's noise accounts for (up to {Evidence.N(noise)})" : $"the MSE on {where}";
        return $"a fix is kept when its replay at least halves {mse}, does not raise the max |error| there, and does not diverge; of those that pass, the lowest MSE is kept";
    }

    public static ReplayVerdict Judge(RunOutcome before, RunOutcome after)
    {
        double b = before.Evaluation.Mse, a = after.Evaluation.Mse, noise = before.NoiseCeiling ?? 0;
        if (after.Diverged || !double.IsFinite(a)) return ReplayVerdict.Diverged;
        if (a - noise <= RequiredImprovement * (b - noise))
            return after.Evaluation.MaxAbsError > before.Evaluation.MaxAbsError ? ReplayVerdict.MaxErrorGrew : ReplayVerdict.Passes;
        if (a < (1 - Wobble) * b) return ReplayVerdict.Better;
        if (a > (1 + Wobble) * b) return ReplayVerdict.Worse;
        return ReplayVerdict.NoBetter;
    }
}
