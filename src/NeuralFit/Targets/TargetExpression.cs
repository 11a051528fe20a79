using NeuralFit.Targets.Expressions;

namespace NeuralFit.Targets;

/// <summary>
/// A target function written as text, such as "ln(x)", "sin(2*pi*x)" or "x1*x2 + x3": parsed, checked and compiled
/// once, then evaluated at the cost of hand-written code.
/// </summary>
/// <remarks>
/// Numbers (3, 2.5, .5, 1e-3), + - * / ^, signs, parentheses, the constants pi and e, the input x (or x1..xn for
/// several), and the functions ln log log2 log10 exp sqrt abs sin cos tan asin acos atan sinh cosh tanh sigmoid sign
/// floor ceil (one argument) and min max pow (two). log is the natural logarithm. -x^2 is -(x^2); 2^3^2 is 2^9.
/// </remarks>
internal sealed class TargetExpression
{
    /// <summary>Longest text accepted, in characters: more than any canonical form of <see cref="MaxTokens"/> tokens needs (23 characters per token at most).</summary>
    public const int MaxLength = 100_000;

    /// <summary>Most tokens accepted (numbers, names, operators, parentheses). Printing never adds tokens, so <see cref="ToString"/> always parses again.</summary>
    public const int MaxTokens = 4_000;

    /// <summary>Most levels open at once; each parenthesis, function call, sign and '^' opens one.</summary>
    public const int MaxDepth = 256;

    /// <summary>Highest numbered input, x10000.</summary>
    public const int MaxInputs = 10_000;

    readonly RowFunction _function;
    readonly string _canonical;

    TargetExpression(string text, ParsedExpression parsed, RowFunction function)
    {
        Text = text;
        HighestInput = parsed.HighestInput;
        UsesIndexedInputs = parsed.UsesNumberedInputs;
        _canonical = Printer.Print(parsed.Root);
        _function = function;
    }

    /// <summary>
    /// Parses, checks and compiles <paramref name="text"/>. Throws <see cref="InputError"/> naming what is wrong and
    /// at which column, e.g. "unknown function 'lnn' at column 1 (did you mean 'ln'?)".
    /// </summary>
    public static TargetExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        ParsedExpression parsed = Parser.Parse(text);
        RowFunction function = Compiler.Compile(Folder.Fold(parsed.Root, text));
        return new TargetExpression(text, parsed, function);
    }

    /// <summary>The text as given.</summary>
    public string Text { get; }

    /// <summary>How many inputs a sample needs: 1 for x (or x1), n when xn is the highest used, 0 for a constant.</summary>
    public int HighestInput { get; }

    /// <summary>Whether the inputs are written x1..xn rather than x.</summary>
    public bool UsesIndexedInputs { get; }

    /// <summary>The value at one sample; inputs[0] is x or x1, inputs[1] is x2, and so on.</summary>
    public unsafe double Evaluate(ReadOnlySpan<double> inputs)
    {
        CheckInputCount(inputs.Length);
        fixed (double* row = inputs) return _function((nint)row);
    }

    /// <summary>Evaluates n samples at once, allocating nothing.</summary>
    /// <param name="x">The samples, row-major (n, inputCount).</param>
    /// <param name="inputCount">Values per sample; at least <see cref="HighestInput"/>.</param>
    /// <param name="y">Receives the n values.</param>
    public unsafe void EvaluateMany(ReadOnlySpan<double> x, int inputCount, Span<double> y)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(inputCount);
        CheckInputCount(inputCount);
        if ((long)y.Length * inputCount != x.Length)
            throw new ArgumentException($"x holds {x.Length} values, but {y.Length} samples of {inputCount} inputs " +
                                        $"need {(long)y.Length * inputCount}", nameof(x));
        RowFunction function = _function;
        fixed (double* rows = x)
        {
            double* row = rows;
            for (int i = 0; i < y.Length; i++, row += inputCount) y[i] = function((nint)row);
        }
    }

    /// <summary>
    /// The canonical form, e.g. "sin(2 * pi * x) + x^2": it parses back to the same expression and prints the same
    /// again.
    /// </summary>
    public override string ToString() => _canonical;

    // The compiled code reads inputs through a raw pointer, so this check is what keeps it inside the span.
    void CheckInputCount(int given)
    {
        if (given < HighestInput)
            throw new InputError($"the expression '{SourceText.Quote(Text, 0, Text.Length)}' uses " +
                                 $"{(UsesIndexedInputs ? $"x{HighestInput}" : "x")} but only {given} " +
                                 $"input{(given == 1 ? " was" : "s were")} given");
    }
}
