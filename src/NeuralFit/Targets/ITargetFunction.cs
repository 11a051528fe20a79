namespace NeuralFit.Targets;

/// <summary>A function to fit, defined everywhere on its domain (though possibly not finite there).</summary>
internal interface ITargetFunction
{
    int InputCount { get; }
    string Text { get; }

    /// <summary>Values per point: 1, or one per target of a problem with several outputs.</summary>
    int OutputCount => 1;

    /// <summary>x row-major (n, InputCount) -> y row-major (n, OutputCount).</summary>
    void Evaluate(ReadOnlySpan<double> x, Span<double> y);
}

/// <summary>A target given as an expression in x, or x1..xn; or several, one per output, over the same inputs.</summary>
internal sealed class ExpressionTarget : ITargetFunction
{
    readonly TargetExpression _expression;
    readonly ExpressionTarget[] _outputs = [];

    /// <param name="inputCount">The number of input ranges; x1..xn in the expression must not exceed it.</param>
    public ExpressionTarget(string text, int inputCount)
    {
        _expression = Check(text, inputCount);
        InputCount = inputCount;
    }

    /// <summary>Several expressions over the same inputs: one output each, in order.</summary>
    public ExpressionTarget(IReadOnlyList<string> texts, int inputCount)
    {
        if (texts.Count == 0) throw new ArgumentException("no target expression", nameof(texts));
        _expression = Check(texts[0], inputCount);
        InputCount = inputCount;
        if (texts.Count > 1) _outputs = texts.Select(t => new ExpressionTarget(t, inputCount)).ToArray();
    }

    static TargetExpression Check(string text, int inputCount)
    {
        var expression = TargetExpression.Parse(text);
        if (expression.HighestInput > inputCount)
            throw new InputError(inputCount == 1
                ? $"target '{text}' uses x{expression.HighestInput}: give one range per input in FitOptions.Domain ({expression.HighestInput} ranges)"
                : $"target '{text}' uses x{expression.HighestInput} but only {inputCount} input ranges are given");
        if (inputCount > 1 && !expression.UsesIndexedInputs && expression.HighestInput > 0)
            throw new InputError($"target '{text}' uses x, but {inputCount} input ranges are given: write x1..x{inputCount}");
        return expression;
    }

    public int InputCount { get; }
    public int OutputCount => Math.Max(1, _outputs.Length);

    /// <summary>The expression, or the expressions separated by "; ".</summary>
    public string Text => _outputs.Length == 0 ? _expression.Text : string.Join("; ", _outputs.Select(o => o.Text));

    public void Evaluate(ReadOnlySpan<double> x, Span<double> y)
    {
        if (_outputs.Length == 0) { _expression.EvaluateMany(x, InputCount, y); return; }
        int n = y.Length / _outputs.Length, k = _outputs.Length;
        if (n * k != y.Length) throw new ArgumentException($"y holds {y.Length} values, not rows of {k} outputs", nameof(y));
        var column = new double[n];
        for (int o = 0; o < k; o++)
        {
            _outputs[o]._expression.EvaluateMany(x, InputCount, column);
            for (int i = 0; i < n; i++) y[i * k + o] = column[i];
        }
    }
}
