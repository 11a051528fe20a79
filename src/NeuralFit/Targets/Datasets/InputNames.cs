namespace NeuralFit.Targets.Datasets;

/// <summary>What an input's name (a data file's column, a model file's input) may hold.</summary>
internal static class InputNames
{
    /// <summary>
    /// A character that is not seen as itself where names are shown: a control character (a terminal's escape
    /// sequence, a line break) or one that reorders text around it (the bidirectional overrides and isolates of
    /// "trojan source"). Names are printed to the terminal and into reports and code, so they hold none of these.
    /// </summary>
    public static bool IsHidden(char c) => char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
