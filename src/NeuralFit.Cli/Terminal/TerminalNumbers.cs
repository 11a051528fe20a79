using System.Globalization;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// How the terminal writes numbers, in one place: invariant culture; exponents in lower case with at least two digits
/// (7.779e-11, as the diagnosis writes 1.01e-09, never 7.779E-11 beside it); and no "-0.0000" for a value that rounds
/// to zero. Used as the format provider of interpolated strings: <c>string.Create(TerminalNumbers.Format, $"{x:G4}")</c>.
/// </summary>
sealed class TerminalNumbers : IFormatProvider, ICustomFormatter
{
    public static readonly TerminalNumbers Format = new();

    public object? GetFormat(Type? formatType) =>
        formatType == typeof(ICustomFormatter) ? this : CultureInfo.InvariantCulture.GetFormat(formatType);

    string ICustomFormatter.Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
    {
        double d => Number(d.ToString(format, CultureInfo.InvariantCulture)),
        float f => Number(f.ToString(format, CultureInfo.InvariantCulture)),
        IFormattable x => x.ToString(format, CultureInfo.InvariantCulture),
        _ => arg?.ToString() ?? "",
    };

    /// <summary>One number as the terminal shows it, e.g. Show(7.779e-11, "G4") is "7.779e-11".</summary>
    public static string Show(double value, string format) => Number(value.ToString(format, CultureInfo.InvariantCulture));

    static string Number(string text)
    {
        text = text.Replace('E', 'e');
        return text.Length > 1 && text[0] == '-' && text.AsSpan(1).Trim("0.").IsEmpty ? text[1..] : text;
    }
}
