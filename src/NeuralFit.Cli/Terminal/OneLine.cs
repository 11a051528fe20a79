using NeuralFit.Persistence;

namespace NeuralFit.Cli.Terminal;

static class Lines
{
    /// <summary>
    /// Text as one line for the terminal, whatever a file name or a file's text holds: line breaks become spaces, and
    /// other control characters (a terminal's escape sequences) are shown as \uXXXX rather than sent to the terminal.
    /// </summary>
    public static string OneLine(string text) => CSharpNames.CommentText(text.ReplaceLineEndings(" "));
}
