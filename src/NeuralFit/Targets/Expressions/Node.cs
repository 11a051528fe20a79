namespace NeuralFit.Targets.Expressions;

// The syntax tree. Every node remembers the source text it came from, [Start, End), so that problems found after
// parsing (a constant that is not finite) can quote it and give its column. A parenthesised node's span includes
// its parentheses.

internal abstract record Node(int Start, int End);

/// <summary>A number as written: never negative, since a minus sign is a <see cref="Negate"/> (folding may change that).</summary>
internal sealed record Number(double Value, int Start, int End) : Node(Start, End);

/// <summary>A named constant, pi or e.</summary>
internal sealed record Constant(string Name, double Value, int Start, int End) : Node(Start, End);

/// <summary>x (Index 0, not Numbered) or xk (Index k - 1, Numbered).</summary>
internal sealed record Input(int Index, bool Numbered, int Start, int End) : Node(Start, End);

internal sealed record Negate(Node Operand, int Start, int End) : Node(Start, End);

/// <summary>Base ^ Exponent, computed by Math.Pow.</summary>
internal sealed record Power(Node Base, Node Exponent, int Start, int End) : Node(Start, End);

/// <summary>A call of a function from the table; the parser has checked the argument count.</summary>
internal sealed record Call(Function Function, Node[] Arguments, int Start, int End) : Node(Start, End);

internal enum ChainOperator { Add, Subtract, Multiply, Divide }

internal readonly record struct Link(ChainOperator Operator, Node Operand);

/// <summary>
/// Operators of one precedence evaluated left to right: First op Rest[0].Operand op Rest[1].Operand ... Flat rather
/// than a left-leaning binary tree, so that x + x + ... + x of any length adds no depth to walk recursively.
/// </summary>
internal sealed record Chain(Node First, Link[] Rest, int Start, int End) : Node(Start, End)
{
    public bool IsSum => Rest[0].Operator is ChainOperator.Add or ChainOperator.Subtract;
}
