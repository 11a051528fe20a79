using System.Diagnostics;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace NeuralFit.Targets.Expressions;

/// <summary>A compiled expression: reads input k at row[k], where row points at one sample's inputs.</summary>
internal delegate double RowFunction(nint row);

/// <summary>
/// Compiles a folded tree once, with System.Linq.Expressions, into a <see cref="RowFunction"/>: evaluating a sample
/// then walks no tree and allocates nothing. It takes a pointer rather than an array so that a span of inputs, or one
/// row of a row-major batch, is read where it lies, without a copy; the caller checks the row is long enough.
/// </summary>
internal static class Compiler
{
    static readonly MethodInfo ReadInput = ((Func<nint, int, double>)Read).Method;

    public static RowFunction Compile(Node root)
    {
        ParameterExpression row = Expression.Parameter(typeof(nint), "row");
        return Expression.Lambda<RowFunction>(Build(root, row), row).Compile();
    }

    static Expression Build(Node node, ParameterExpression row)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack(); // the parser's depth limit should make this moot
        return node switch
        {
            Number number => Expression.Constant(number.Value),
            Constant constant => Expression.Constant(constant.Value),
            Input input => Expression.Call(ReadInput, row, Expression.Constant(input.Index)),
            Negate negate => Expression.Negate(Build(negate.Operand, row)),
            Power power => Expression.Call(Functions.Pow.Method, Build(power.Base, row), Build(power.Exponent, row)),
            Call call => Expression.Call(call.Function.Method, BuildAll(call.Arguments, row)),
            Chain chain => BuildChain(chain, row),
            _ => throw new UnreachableException($"no compilation for {node.GetType().Name}"),
        };
    }

    static Expression[] BuildAll(Node[] nodes, ParameterExpression row)
    {
        var built = new Expression[nodes.Length];
        for (int i = 0; i < nodes.Length; i++) built[i] = Build(nodes[i], row);
        return built;
    }

    // { acc = first; acc = acc op operand; ...; acc }: a flat block, so a long sum does not become a deep expression
    // tree for Compile to recurse through.
    static Expression BuildChain(Chain chain, ParameterExpression row)
    {
        ParameterExpression acc = Expression.Variable(typeof(double), "acc");
        var steps = new List<Expression>(chain.Rest.Length + 2) { Expression.Assign(acc, Build(chain.First, row)) };
        foreach (Link link in chain.Rest)
        {
            Expression operand = Build(link.Operand, row);
            steps.Add(Expression.Assign(acc, link.Operator switch
            {
                ChainOperator.Add => Expression.Add(acc, operand),
                ChainOperator.Subtract => Expression.Subtract(acc, operand),
                ChainOperator.Multiply => Expression.Multiply(acc, operand),
                ChainOperator.Divide => Expression.Divide(acc, operand),
                _ => throw new UnreachableException($"no operator {link.Operator}"),
            }));
        }
        steps.Add(acc);
        return Expression.Block([acc], steps);
    }

    static unsafe double Read(nint row, int index) => ((double*)row)[index];
}
