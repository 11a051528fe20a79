using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Training;

namespace NeuralFit.Diagnostics;

/// <summary>
/// What the doctor keeps of one diagnosed run (the user's, or a replay): enough to judge it, to go on from it and to
/// report it. <see cref="Full"/> holds the whole diagnosis (model, history, probes) of a run trained by this process;
/// a run recalled from a journal of an interrupted doctor has only the summary.
/// </summary>
internal sealed record RunOutcome(RunConfig Config, Evaluation.Evaluation Evaluation, StopReason StopReason, double WallSeconds,
    bool MissedGoal, IReadOnlyList<Finding> Findings, IReadOnlyList<CauseStep> CauseChain)
{
    public DiagnosisResult? Full { get; init; }

    /// <summary>For a data file: the held-out error is within what the data's noise allows (<see cref="RunTrace.AtNoiseFloor"/>).</summary>
    public bool AtNoiseFloor { get; init; }

    /// <summary>For a data file: the upper bound on its noise variance (<see cref="NeuralFit.Evaluation.LocalNoise.Ceiling"/>).</summary>
    public double? NoiseCeiling { get; init; }

    /// <summary>For a data file: the model is the linear baseline (<see cref="FitResult.UsesBaseline"/>).</summary>
    public bool UsesBaseline { get; init; }

    /// <summary>An expression fit that went through stages (<see cref="FitResult.Stages"/>): its configuration is the last
    /// stage's, which a fresh run would not repeat (that stage started from the one before and trained on points the
    /// earlier stages chose); the settings given repeat the whole growth.</summary>
    public bool Grown { get; init; }

    public static bool Grew(FitResult r) => r.Stages.Count > 0 && r.Config.Data is null;

    /// <summary>The fit's verdict (<see cref="Fitting.Verdict"/>).</summary>
    public required Verdict Verdict { get; init; }

    public bool Diverged => StopReason == StopReason.Diverged;

    public static RunOutcome Of(DiagnosisResult d) =>
        new(d.Fit.Config, d.Fit.Evaluation, d.Fit.StopReason, d.Fit.WallSeconds, d.Fit.MissedGoal, d.Findings, d.CauseChain)
        {
            Full = d,
            Verdict = d.Fit.Verdict,
            UsesBaseline = d.Fit.UsesBaseline,
            Grown = Grew(d.Fit),
            AtNoiseFloor = d.Trace.AtNoiseFloor,
            NoiseCeiling = d.Trace.Noise?.Ceiling,
        };
}

/// <summary>
/// A name for a run that changes whenever anything that decides its numbers does: every setting, which of them were
/// given (the rest NeuralFit chooses), the folder a data file is read from, and the data file's size and time.
/// </summary>
internal static class RunKey
{
    public static string Of(RunConfig c)
    {
        string data = "";
        if (c.Data is not null && new FileInfo(Path.Combine(c.BaseDirectory, c.Data)) is { Exists: true } file)
            data = $"{file.Length}:{file.LastWriteTimeUtc.Ticks}";
        var text = ConfigReader.ToJson(c).ToJsonString() + "|" + string.Join(",", Settings.All.Where(s => c.IsGiven(s.Key)).Select(s => s.Key).Order()) + "|" + Path.GetFullPath(c.BaseDirectory) + "|" + data;
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..24].ToLowerInvariant();
    }
}
