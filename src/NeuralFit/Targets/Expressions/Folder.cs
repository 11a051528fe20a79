using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace NeuralFit.Targets.Expressions;

/// <summary>
/// Replaces each part of the tree that reads no input by its value, computed exactly as compiled code would
/// compute it, and refuses the expression when such a value is not finite: '1/0', 'ln(0)' and 'sqrt(-1)' are
/// mistakes, not targets. Dividing by a constant zero, as in 'x/(1-1)', is refused too.
/// </summary>
internal static class Folder
{
    public static Node Fold(Node node, string source)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack(); // the parser's depth limit should make this moot
        return node switch
        {
            Number => node,
            Input => node,
            Constant constant => new Number(constant.Value, constant.Start, constant.End),
            Negate negate => FoldNegate(negate, source),
            Power power => FoldPower(power, source),
            Call call => FoldCall(call, source),
            Chain chain => FoldChain(chain, source),
            _ => throw new UnreachableException($"no folding for {node.GetType().Name}"),
        };
    }

    static Node FoldNegate(Negate negate, string source)
    {
        Node operand = Fold(negate.Operand, source);
        return operand is Number number ? new Number(-number.Value, negate.Start, negate.End) : negate with { Operand = operand };
    }

    static Node FoldPower(Power power, string source)
    {
        Node @base = Fold(power.Base, source), exponent = Fold(power.Exponent, source);
        return @base is Number b && exponent is Number e
            ? Finite(Math.Pow(b.Value, e.Value), power.Start, power.End, source)
            : power with { Base = @base, Exponent = exponent };
    }

    static Node FoldCall(Call call, string source)
    {
        var arguments = new Node[call.Arguments.Length];
        Span<double> values = stackalloc double[2]; // the most any function takes
        bool constant = true;
        for (int i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Fold(call.Arguments[i], source);
            if (arguments[i] is Number number) values[i] = number.Value;
            else constant = false;
        }
        return constant ? Finite(call.Function.Apply(values), call.Start, call.End, source) : call with { Arguments = arguments };
    }

    // Only the leading run of constants folds: 1 + 2 + x is (1 + 2) + x, so 3 + x rounds the same, but x + 1 + 2
    // is (x + 1) + 2, which is not x + 3 in floating point.
    static Node FoldChain(Chain chain, string source)
    {
        Node first = Fold(chain.First, source);
        var rest = new Link[chain.Rest.Length];
        for (int i = 0; i < rest.Length; i++) rest[i] = chain.Rest[i] with { Operand = Fold(chain.Rest[i].Operand, source) };
        int folded = 0;
        if (first is Number number)
        {
            double value = number.Value;
            for (; folded < rest.Length && rest[folded].Operand is Number operand; folded++)
            {
                value = Apply(rest[folded].Operator, value, operand.Value);
                first = Finite(value, chain.First.Start, operand.End, source);
            }
        }
        if (folded == rest.Length) return first with { Start = chain.Start, End = chain.End };

        foreach (Link link in rest.AsSpan(folded))
            if (link is { Operator: ChainOperator.Divide, Operand: Number { Value: 0 } zero })
                throw DividesByZero(chain.First.Start, zero.End, source);
        return new Chain(first, rest[folded..], chain.Start, chain.End);
    }

    /// <summary>The same IEEE operations compiled code performs, so a folded value is the value evaluation would give.</summary>
    static double Apply(ChainOperator op, double a, double b) => op switch
    {
        ChainOperator.Add => a + b,
        ChainOperator.Subtract => a - b,
        ChainOperator.Multiply => a * b,
        ChainOperator.Divide => a / b,
        _ => throw new UnreachableException($"no operator {op}"),
    };

    static InputError DividesByZero(int start, int end, string source) =>
        new($"expression is not finite: '{SourceText.Quote(source, start, end)}' at column {start + 1} divides by zero");

    static Number Finite(double value, int start, int end, string source)
    {
        if (double.IsFinite(value)) return new Number(value, start, end);
        string shown = double.IsNaN(value) ? "NaN" : value > 0 ? "∞" : "-∞";
        throw new InputError($"expression is not finite: '{SourceText.Quote(source, start, end)}' at column {start + 1} " +
                             $"evaluates to {shown}");
    }
}
