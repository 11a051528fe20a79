using System.Text.RegularExpressions;
using NeuralFit.Configuration;

namespace NeuralFit.Cli;

/// <summary>
/// The library's messages name a setting by its property ("FitOptions.Domain"), as a library user writes it; the
/// command's user wrote a flag, so the command prints the flag instead ("--domain").
/// </summary>
static partial class FlagNames
{
    static readonly Dictionary<string, string> ByProperty = Settings.All.ToDictionary(s => s.Property, s => s.Flag);

    public static string In(string message) =>
        PropertyName().Replace(message, m => ByProperty.TryGetValue(m.Groups[1].Value, out var flag) ? flag : m.Value);

    [GeneratedRegex(@"\bFitOptions\.([A-Z][A-Za-z]*)")]
    private static partial Regex PropertyName();
}
