using System.Text;
using NeuralFit.Diagnostics;
using NeuralFit.Fitting;

namespace NeuralFit.Cli.Terminal;

/// <summary>Findings and the cause chain as terminal text, coloured when stdout is a terminal.</summary>
static class DiagnosisReport
{
    static readonly bool Colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;

    public static string Render(DiagnosisResult d) => Render(d.Findings, d.CauseChain, d.Verdict);

    /// <param name="verdict">The run's verdict, printed last (with the command to run next on a miss); null leaves it out.</param>
    public static string Render(IReadOnlyList<Finding> findings, IReadOnlyList<CauseStep> causeChain, Verdict? verdict = null)
    {
        var d = (Findings: findings, CauseChain: causeChain);
        var s = new StringBuilder();
        s.AppendLine();
        if (d.Findings.Count == 0) s.AppendLine("findings: none — the run looks healthy.");
        else s.AppendLine($"findings ({Words.Count(d.Findings.Count(f => f.Severity == Severity.Error), "error")}, {Words.Count(d.Findings.Count(f => f.Severity == Severity.Warning), "warning")}):");
        foreach (var f in d.Findings)
        {
            s.AppendLine($"  {Paint(f.Severity)} {f.Code}{(f.Layer is int l ? $" (layer {l})" : "")}: {f.Message}");
            foreach (var fix in f.Fixes.Take(2)) s.AppendLine($"      try: {fix.Summary}  {fix.PatchText}");
        }
        if (d.CauseChain.Count > 0)
        {
            s.AppendLine();
            s.AppendLine($"why: {string.Join(" → ", d.CauseChain.Select(c => c.Code))}");
            for (int i = 0; i < d.CauseChain.Count; i++)
                s.AppendLine($"  {i + 1}. {d.CauseChain[i].Text}");
        }
        if (d.Findings.Any(f => f.Severity == Severity.Error))
            s.AppendLine("\nThe fixes above are candidates; 'neuralfit doctor' with the same settings replays each one and keeps those that work.");
        if (verdict is not null)
        {
            s.AppendLine();
            s.AppendLine(verdict.Line);
        }
        return s.ToString();
    }

    static string Paint(Severity severity)
    {
        string label = severity switch { Severity.Error => "error  ", Severity.Warning => "warning", _ => "info   " };
        if (!Colour) return label;
        string code = severity switch { Severity.Error => "31", Severity.Warning => "33", _ => "36" };
        return $"\u001b[{code}m{label}\u001b[0m";
    }
}
