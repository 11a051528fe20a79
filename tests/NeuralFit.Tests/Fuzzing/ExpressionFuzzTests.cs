using CsCheck;
using NeuralFit.Targets;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// Property-based tests of the expression parser and compiler against <see cref="Expr"/>: random trees evaluate as
/// the reference evaluator says (bit for bit), print and re-parse to themselves, and random or mangled text either
/// parses or is refused with an <see cref="InputError"/>, never anything else. Counts are chosen to keep each test
/// to a few seconds on two cores; the seeds printed on failure reproduce a case.
/// </summary>
public class ExpressionFuzzTests
{
    const int Trees = 12_000, RandomTexts = 40_000, Mutations = 25_000;

    static readonly Gen<double[]> Inputs = Gen.OneOf(
        Gen.Double[-3, 3], Gen.Double[0, 1], Gen.Const(0.0), Gen.Const(-0.0), Gen.Const(1.0), Gen.Const(double.NaN), Gen.Double).Array[3];

    [Fact]
    public void RandomTreesEvaluateAsTheReferenceOrAreRefusedExactlyWhenTheyMustBe()
    {
        Gen.Select(Expr.Generator(maxDepth: 7), Gen.Bool, Inputs.Array[1, 4]).Sample(t =>
        {
            var (tree, spaces, points) = t;
            string text = tree.Print(spaces);
            TargetExpression parsed;
            try { parsed = TargetExpression.Parse(text); }
            catch (InputError e)
            {
                if (!tree.MustBeRefused) throw new Exception($"'{text}' was refused: {e.Message}");
                return;
            }
            if (tree.MustBeRefused) throw new Exception($"'{text}' should have been refused (a constant part is not finite, or divides by zero)");
            var canonical = TargetExpression.Parse(parsed.ToString());
            if (canonical.ToString() != parsed.ToString())
                throw new Exception($"'{text}' prints as '{parsed}', which prints as '{canonical}'");
            foreach (var x in points)
            {
                double expected = tree.Evaluate(x), actual = parsed.Evaluate(x), again = canonical.Evaluate(x);
                if (!Same(expected, actual) || !Same(actual, again))
                    throw new Exception($"'{text}' at ({string.Join(", ", x)}): reference {expected:R}, parsed {actual:R}, re-parsed canonical form {again:R}");
            }
        }, iter: Trees);
    }

    /// <summary>The first case the fuzzer found: Math.Min inlined by the JIT and Math.Min called through a delegate
    /// disagreed on min(−0, +0), so a folded constant and compiled code gave different zeros.</summary>
    [Fact]
    public void MinAndMaxOrderSignedZerosTheSameFoldedOrCompiled()
    {
        foreach (string text in new[] { "min(-(0), x)", "min(x, -(0))", "max(-(0), x)", "max(x, -(0))", "min(-(0), 0)", "max(0, -(0))" })
        {
            bool max = text.StartsWith("max");
            double value = TargetExpression.Parse(text).Evaluate([0.0]);
            Assert.True(double.IsNegative(value) != max, $"{text} at x = 0 gave {(double.IsNegative(value) ? "-0" : "+0")}");
        }
    }

    [Fact]
    public void RandomTextIsParsedOrRefusedWithAnInputError()
    {
        var alphabet = Gen.OneOf(Gen.Char["x123.e+-*/^(), "], Gen.Char["pisnlogexqrtabcmh_"], Gen.Char["0123456789"], Gen.Char, Gen.Char["#$%[]{}\t\n\"'\\;:"]);
        alphabet.Array[0, 60].Select(chars => new string(chars)).Sample(OnlyInputErrors, iter: RandomTexts);
    }

    [Fact]
    public void MangledExpressionsAreParsedOrRefusedWithAnInputError()
    {
        Gen.Select(Expr.Generator(maxDepth: 5), Gen.Bool, Gen.Int[0, 3].Array[1, 4], Gen.Int.Positive.Array[4], Gen.Char["()+-*/^,x.e 0"])
            .Select(t => Mangle(t.Item1.Print(t.Item2), t.Item3, t.Item4, t.Item5))
            .Sample(OnlyInputErrors, iter: Mutations);
    }

    /// <summary>Deletes, duplicates, swaps or inserts characters at positions picked from <paramref name="picks"/>.</summary>
    static string Mangle(string text, int[] edits, int[] picks, char insert)
    {
        var s = new System.Text.StringBuilder(text);
        for (int i = 0; i < edits.Length && s.Length > 0; i++)
        {
            int at = picks[i % picks.Length] % s.Length;
            switch (edits[i])
            {
                case 0: s.Remove(at, 1); break;
                case 1: s.Insert(at, s[at]); break;
                case 2: s.Insert(at, insert); break;
                default: int to = picks[(i + 1) % picks.Length] % s.Length; (s[at], s[to]) = (s[to], s[at]); break;
            }
        }
        return s.ToString();
    }

    /// <summary>Refused with an InputError, or accepted, evaluated, and printed in a form that parses to itself.</summary>
    static void OnlyInputErrors(string text)
    {
        TargetExpression e;
        try { e = TargetExpression.Parse(text); }
        catch (InputError) { return; }
        e.Evaluate(new double[Math.Max(1, e.HighestInput)]);
        string canonical = e.ToString();
        if (TargetExpression.Parse(canonical).ToString() != canonical) throw new Exception($"'{text}' prints as '{canonical}', which does not print as itself");
    }

    static bool Same(double a, double b) => BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(b) || (double.IsNaN(a) && double.IsNaN(b));
}
