using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralFit.Targets.Expressions;

/// <summary>
/// The canonical text of a tree: single spaces around + - * / and after commas, none around ^ or after a sign,
/// numbers in round-trip form, and parentheses only where the grammar needs them. Parsing the text gives the same
/// tree back, so printing it again gives the same text. It never has more tokens than the source it came from
/// (only dropped '+' signs and parentheses differ), which is why the token limit, not the length, bounds it.
/// </summary>
internal static class Printer
{
    // Binding strength, loosest first: what each position accepts without parentheses follows the grammar in Parser.
    const int SumLevel = 1, ProductLevel = 2, SignLevel = 3, PowerLevel = 4, AtomLevel = 5;

    public static string Print(Node root)
    {
        var text = new StringBuilder();
        Write(text, root);
        return text.ToString();
    }

    static int Level(Node node) => node switch
    {
        Chain chain => chain.IsSum ? SumLevel : ProductLevel,
        Negate => SignLevel,
        Number number when double.IsNegative(number.Value) => SignLevel, // only after folding
        Power => PowerLevel,
        _ => AtomLevel,
    };

    static void Write(StringBuilder text, Node node)
    {
        RuntimeHelpers.EnsureSufficientExecutionStack(); // the parser's depth limit should make this moot
        switch (node)
        {
            case Number number:
                text.Append(number.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case Constant constant:
                text.Append(constant.Name);
                break;
            case Input input:
                text.Append('x');
                if (input.Numbered) text.Append(input.Index + 1);
                break;
            case Negate negate:
                text.Append('-');
                WriteOperand(text, negate.Operand, SignLevel);
                break;
            case Power power:
                WriteOperand(text, power.Base, AtomLevel);
                text.Append('^');
                WriteOperand(text, power.Exponent, SignLevel);
                break;
            case Call call:
                text.Append(call.Function.Name).Append('(');
                for (int i = 0; i < call.Arguments.Length; i++)
                {
                    if (i > 0) text.Append(", ");
                    Write(text, call.Arguments[i]);
                }
                text.Append(')');
                break;
            case Chain chain:
                int level = Level(chain);
                WriteOperand(text, chain.First, level);
                foreach (Link link in chain.Rest)
                {
                    text.Append(link.Operator switch
                    {
                        ChainOperator.Add => " + ",
                        ChainOperator.Subtract => " - ",
                        ChainOperator.Multiply => " * ",
                        _ => " / ",
                    });
                    WriteOperand(text, link.Operand, level + 1); // a - (b - c) keeps its parentheses
                }
                break;
            default:
                throw new UnreachableException($"no printing for {node.GetType().Name}");
        }
    }

    /// <summary>Writes <paramref name="node"/> in parentheses if it binds more loosely than <paramref name="loosestAllowed"/>.</summary>
    static void WriteOperand(StringBuilder text, Node node, int loosestAllowed)
    {
        bool parenthesise = Level(node) < loosestAllowed;
        if (parenthesise) text.Append('(');
        Write(text, node);
        if (parenthesise) text.Append(')');
    }
}
