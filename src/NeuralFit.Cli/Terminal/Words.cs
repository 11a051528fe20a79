using System.Globalization;

namespace NeuralFit.Cli.Terminal;

/// <summary>Counted nouns: "1 warning", "2 warnings", "1,024 training points", never "1 warnings".</summary>
static class Words
{
    public static string Count(long n, string singular, string? plural = null) =>
        $"{n.ToString("N0", CultureInfo.InvariantCulture)} {(n == 1 ? singular : plural ?? singular + "s")}";
}
