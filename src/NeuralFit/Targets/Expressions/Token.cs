namespace NeuralFit.Targets.Expressions;

internal enum TokenKind { Number, Name, Plus, Minus, Star, Slash, Caret, Comma, OpenParen, CloseParen, End }

/// <summary>One token: its kind, where it sits in the source ([Start, Start + Length)), and a number's value.</summary>
internal readonly record struct Token(TokenKind Kind, int Start, int Length, double Number = 0)
{
    public int End => Start + Length;

    /// <summary>1-based, as error messages give it.</summary>
    public int Column => Start + 1;

    public bool StartsOperand => Kind is TokenKind.Number or TokenKind.Name or TokenKind.OpenParen;
}

internal static class SourceText
{
    const int LongestQuote = 40;

    /// <summary>
    /// source[start..end] for an error message: whitespace turned into spaces and long text cut short, so the
    /// message stays one readable line even for hostile input.
    /// </summary>
    public static string Quote(string source, int start, int end)
    {
        bool cut = end - start > LongestQuote;
        ReadOnlySpan<char> text = source.AsSpan(start, cut ? LongestQuote - 1 : end - start);
        var quoted = new char[text.Length + (cut ? 1 : 0)];
        for (int i = 0; i < text.Length; i++)
            quoted[i] = char.IsWhiteSpace(text[i]) || char.IsControl(text[i]) ? ' ' : text[i];
        if (cut) quoted[^1] = '…';
        return new string(quoted);
    }

    public static string Quote(string source, Token token) =>
        token.Kind == TokenKind.End ? "end of expression" : Quote(source, token.Start, token.End);
}
