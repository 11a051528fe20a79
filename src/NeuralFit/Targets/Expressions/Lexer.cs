using System.Globalization;

namespace NeuralFit.Targets.Expressions;

/// <summary>Splits an expression into tokens, refusing more than <see cref="TargetExpression.MaxTokens"/>.</summary>
internal static class Lexer
{
    /// <summary>The tokens of <paramref name="source"/>, always ending with one <see cref="TokenKind.End"/>.</summary>
    public static List<Token> Tokenize(string source)
    {
        var tokens = new List<Token>();
        int i = 0;
        while (true)
        {
            while (i < source.Length && char.IsWhiteSpace(source[i])) i++;
            if (i == source.Length) break;
            if (tokens.Count == TargetExpression.MaxTokens)
                throw new InputError($"expression has more than {TargetExpression.MaxTokens} tokens " +
                                     $"(numbers, names, operators, parentheses); the limit is passed at column {i + 1}");
            Token token = source[i] switch
            {
                '+' => new Token(TokenKind.Plus, i, 1),
                '-' => new Token(TokenKind.Minus, i, 1),
                '*' => new Token(TokenKind.Star, i, 1),
                '/' => new Token(TokenKind.Slash, i, 1),
                '^' => new Token(TokenKind.Caret, i, 1),
                ',' => new Token(TokenKind.Comma, i, 1),
                '(' => new Token(TokenKind.OpenParen, i, 1),
                ')' => new Token(TokenKind.CloseParen, i, 1),
                char c when char.IsAsciiDigit(c) || c == '.' => ReadNumber(source, i),
                char c when char.IsAsciiLetter(c) || c == '_' => ReadName(source, i),
                char c => throw new InputError($"unexpected character {Describe(c)} at column {i + 1}"),
            };
            tokens.Add(token);
            i = token.End;
        }
        tokens.Add(new Token(TokenKind.End, source.Length, 0));
        return tokens;
    }

    // number := digits ('.' digits?)? exponent? | '.' digits exponent?    exponent := ('e' | 'E') ('+' | '-')? digits
    // An 'e' not followed by digits ends the number, so "2e" is 2 then the name e (and then an error for the missing '*').
    static Token ReadNumber(string source, int start)
    {
        int end = SkipDigits(source, start);
        int digits = end - start;
        if (end < source.Length && source[end] == '.')
        {
            int fractionEnd = SkipDigits(source, end + 1);
            digits += fractionEnd - end - 1;
            end = fractionEnd;
        }
        if (digits == 0) throw new InputError($"unexpected '.' at column {start + 1} (write a number like 0.5)");
        if (end < source.Length && source[end] is 'e' or 'E')
        {
            int exponent = end + 1;
            if (exponent < source.Length && source[exponent] is '+' or '-') exponent++;
            if (exponent < source.Length && char.IsAsciiDigit(source[exponent])) end = SkipDigits(source, exponent);
        }
        double value = double.Parse(source.AsSpan(start, end - start),
            NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture);
        if (!double.IsFinite(value))
            throw new InputError($"number '{SourceText.Quote(source, start, end)}' at column {start + 1} is too large");
        return new Token(TokenKind.Number, start, end - start, value);
    }

    static Token ReadName(string source, int start)
    {
        int end = start + 1;
        while (end < source.Length && (char.IsAsciiLetterOrDigit(source[end]) || source[end] == '_')) end++;
        return new Token(TokenKind.Name, start, end - start);
    }

    static int SkipDigits(string source, int i)
    {
        while (i < source.Length && char.IsAsciiDigit(source[i])) i++;
        return i;
    }

    static string Describe(char c) =>
        char.IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) ? $"U+{(int)c:X4}" : $"'{c}'";
}
