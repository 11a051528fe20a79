namespace NeuralFit.Targets;

/// <summary>A function to fit, defined everywhere on its domain (though possibly not finite there).</summary>
internal interface ITargetFunction
{
    int InputCount { get; }
    string Text { get; }

    /// <summary>x row-major (n, InputCount) -> y (n).</summary>
    void Evaluate(ReadOnlySpan<double> x, Span<double> y);
}

/// <summary>A target given as an expression in x, or x1..xn.</summary>
internal sealed class ExpressionTarget : ITargetFunction
{
    readonly TargetExpression _expression;

    /// <param name="inputCount">The number of input ranges; x1..xn in the expression must not exceed it.</param>
    public ExpressionTarget(string text, int inputCount)
    {
        _expression = TargetExpression.Parse(text);
        if (_expression.HighestInput > inputCount)
            throw new InputError(inputCount == 1
                ? $"target '{text}' uses x{_expression.HighestInput}: give one range per input in FitOptions.Domain ({_expression.HighestInput} ranges)"
                : $"target '{text}' uses x{_expression.HighestInput} but only {inputCount} input ranges are given");
        if (inputCount > 1 && !_expression.UsesIndexedInputs && _expression.HighestInput > 0)
            throw new InputError($"target '{text}' uses x, but {inputCount} input ranges are given: write x1..x{inputCount}");
        InputCount = inputCount;
    }

    public int InputCount { get; }
    public string Text => _expression.Text;

    public void Evaluate(ReadOnlySpan<double> x, Span<double> y) => _expression.EvaluateMany(x, InputCount, y);
}
