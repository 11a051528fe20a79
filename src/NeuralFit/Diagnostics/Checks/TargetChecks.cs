using System.Globalization;
using NeuralFit.Configuration;
using static NeuralFit.Diagnostics.Evidence;

namespace NeuralFit.Diagnostics.Checks;

/// <summary>heavy-tailed-targets and non-finite-targets: problems of the target itself, not of the network.</summary>
internal static class TargetChecks
{
    /// <summary>
    /// Heavy tails: the 1 % of samples farthest from the mean carry more than 15 % of the targets' variance, so they
    /// dominate the squared loss. For reference, that share is about 3 % for a uniform target, 8.5 % for a normal one
    /// and 22 % for an exponential one (ln(x) with x uniform on (0, 1) is exponential).
    /// </summary>
    public static IEnumerable<Finding> HeavyTails(RunTrace t)
    {
        double share = t.Data.TopPercentShare;
        if (!(share > 0.15)) yield break;
        var fixes = new List<Fix>();
        // Log spacing gives every decade of x its share of samples, so the steep end no longer rests on a handful;
        // a grid stays a grid, random draws stay random.
        string logSampler = t.Config.Sampler is SamplerKind.Grid or SamplerKind.Chebyshev or SamplerKind.LogGrid ? "log-grid" : "log-uniform";
        if (SaferDomain(t) is Interval domain)
        {
            if (domain is { Lo: > 0 } or { Hi: < 0 })
                fixes.Add(Fix.Of($"keep the domain away from the singular end ({domain}) and space the samples logarithmically", ("domain", domain.ToString()), ("sampler", logSampler)));
            fixes.Add(Fix.Of($"keep the domain away from the singular end: {domain}", ("domain", domain.ToString())));
        }
        if (t.Config.Domain.All(r => r.Lo > 0 || r.Hi < 0)) fixes.Add(Fix.Of("space the samples logarithmically, so every decade of x gets its share", ("sampler", logSampler)));
        yield return new Finding(FindingCodes.HeavyTailedTargets, Severity.Warning,
            $"The 1 % of training targets farthest from the mean carry {Percent(share)} of their variance: a few samples dominate the loss.")
        {
            Evidence = Of(("topPercentShare", share)),
            Fixes = fixes,
        };
    }

    /// <summary>Non-finite: the target is NaN or infinite somewhere on the domain (a fine grid and its corners).</summary>
    public static IEnumerable<Finding> NonFinite(RunTrace t)
    {
        var d = t.Data;
        if (d.NonFiniteDomainPoints == 0 && d.DroppedTrainingPoints == 0 && d.NonFiniteEvaluationPoints == 0) yield break;
        string where = d.NonFiniteExample is { } x ? $" (for example at x = {string.Join(", ", x.Select(v => v.ToString("g6", CultureInfo.InvariantCulture)))})" : "";
        string consequence = d.DroppedTrainingPoints > 0
            ? $"; {d.DroppedTrainingPoints} training points were left out"
            : t.Config.Sampler == SamplerKind.FreshUniform ? "; random sampling rarely lands exactly there, but the values near it are extreme" : "";
        var fixes = new List<Fix>();
        if (SaferDomain(t) is Interval domain) fixes.Add(Fix.Of($"keep the domain away from where the target is not finite: {domain}", ("domain", domain.ToString())));
        yield return new Finding(FindingCodes.NonFiniteTargets, d.DroppedTrainingPoints > 0 ? Severity.Warning : Severity.Info,
            $"The target '{t.Config.Target}' is not finite at {d.NonFiniteDomainPoints} points of the domain{where}{consequence}.")
        {
            Evidence = Of(("domainPoints", d.NonFiniteDomainPoints), ("droppedTrainingPoints", d.DroppedTrainingPoints),
                ("evaluationPoints", d.NonFiniteEvaluationPoints), ("example", d.NonFiniteExample)),
            Fixes = fixes,
        };
    }

    /// <summary>For one input whose target blows up at a domain end: the domain moved 1 % of its width away from that end.</summary>
    static Interval? SaferDomain(RunTrace t)
    {
        if (t.Config.Domain.Count != 1 || t.Data.NonFiniteExample is not { } x) return null;
        var r = t.Config.Domain[0];
        double margin = 0.01 * r.Width;
        if (x[0] <= r.Lo + 1e-12 * r.Width) return new Interval(r.Lo + margin, r.Hi);
        if (x[0] >= r.Hi - 1e-12 * r.Width) return new Interval(r.Lo, r.Hi - margin);
        return null;
    }
}
