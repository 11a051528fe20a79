using System.Globalization;
using System.Text;
using CsCheck;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// A tiny expression language of its own for fuzzing the real one: a tree, a printer that writes it fully
/// parenthesised (so its meaning does not hang on precedence), a reference evaluator written straight from the
/// documented semantics, and a prediction of which trees the parser must refuse.
/// </summary>
abstract record Expr
{
    public static readonly string[] Unary =
        ["ln", "log", "log2", "log10", "exp", "sqrt", "abs", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid", "sign", "floor", "ceil"];
    public static readonly string[] Binary = ["min", "max", "pow"];

    static readonly double[] Literals = [0, 1, 2, 3, 0.5, 0.25, 0.1, 10, 100, 1e-3, 1e20, 1e300, 7.25, 1.5e-7, 5e-324, 1.7976931348623157e308];

    /// <summary>Trees up to <paramref name="maxDepth"/> deep over x (numbered = false) or x1..x3.</summary>
    public static Gen<Expr> Generator(int maxDepth) =>
        Gen.Bool.SelectMany(numbered => Gen.Recursive<Expr>((depth, self) =>
        {
            var leaf = Gen.Frequency(
                (3, Gen.OneOf(Literals.Select(v => Gen.Const<Expr>(new Num(v))).ToArray())),
                (1, Gen.Double[0, 10].Select(v => (Expr)new Num(v))),
                (1, Gen.OneOf(Gen.Const<Expr>(new Named("pi", Math.PI)), Gen.Const<Expr>(new Named("e", Math.E)))),
                (4, numbered ? Gen.Int[1, 3].Select(i => (Expr)new Var(i - 1, true)) : Gen.Const<Expr>(new Var(0, false))));
            if (depth >= maxDepth) return leaf;
            return Gen.Frequency(
                (3, leaf),
                (1, self.Select(a => (Expr)new Neg(a))),
                (4, Gen.Select(Gen.OneOf(Gen.Const('+'), Gen.Const('-'), Gen.Const('*'), Gen.Const('/'), Gen.Const('^')), self, self,
                    (op, l, r) => (Expr)new Bin(op, l, r))),
                (2, Gen.Select(Gen.OneOf(Unary.Select(Gen.Const).ToArray()), self, (f, a) => (Expr)new Call(f, [a]))),
                (1, Gen.Select(Gen.OneOf(Binary.Select(Gen.Const).ToArray()), self, self, (f, a, b) => (Expr)new Call(f, [a, b]))));
        }));

    /// <summary>The tree as text, every operation in parentheses, with spacing chosen by <paramref name="spaces"/>.</summary>
    public string Print(bool spaces)
    {
        var s = new StringBuilder();
        Write(s, spaces ? " " : "");
        return s.ToString();
    }

    void Write(StringBuilder s, string sp)
    {
        switch (this)
        {
            case Num n: s.Append(n.Value.ToString("R", CultureInfo.InvariantCulture)); break;
            case Named c: s.Append(c.Name); break;
            case Var v: s.Append(v.Numbered ? $"x{v.Index + 1}" : "x"); break;
            case Neg n: s.Append("-("); n.Operand.Write(s, sp); s.Append(')'); break;
            case Bin { Op: '^' } b: // a sign binds looser than ^ (-x^2 is -(x^2)), so both sides get their own parentheses
                s.Append("((");
                b.Left.Write(s, sp);
                s.Append(")^(");
                b.Right.Write(s, sp);
                s.Append("))");
                break;
            case Bin b:
                s.Append('(');
                b.Left.Write(s, sp);
                s.Append(sp).Append(b.Op).Append(sp);
                b.Right.Write(s, sp);
                s.Append(')');
                break;
            case Call c:
                s.Append(c.Name).Append('(');
                for (int i = 0; i < c.Args.Length; i++)
                {
                    if (i > 0) s.Append(',').Append(sp);
                    c.Args[i].Write(s, sp);
                }
                s.Append(')');
                break;
        }
    }

    /// <summary>The value at the inputs, by the documented semantics: IEEE double arithmetic, Math functions.</summary>
    public double Evaluate(double[] x) => this switch
    {
        Num n => n.Value,
        Named c => c.Value,
        Var v => x[v.Index],
        Neg n => -n.Operand.Evaluate(x),
        Bin b => Apply(b.Op, b.Left.Evaluate(x), b.Right.Evaluate(x)),
        Call c => Function(c.Name, c.Args.Select(a => a.Evaluate(x)).ToArray()),
        _ => throw new InvalidOperationException(),
    };

    public bool ReadsInput => this switch
    {
        Var => true,
        Neg n => n.Operand.ReadsInput,
        Bin b => b.Left.ReadsInput || b.Right.ReadsInput,
        Call c => c.Args.Any(a => a.ReadsInput),
        _ => false,
    };

    /// <summary>
    /// Whether the parser must refuse the tree: a part that reads no input is a constant, and a constant that is not
    /// finite ('1/0', 'ln(0)') is a mistake; so is a division by a constant zero, as in 'x/(1-1)'.
    /// </summary>
    public bool MustBeRefused => this switch
    {
        _ when !ReadsInput && !double.IsFinite(Evaluate([])) => true,
        Neg n => n.Operand.MustBeRefused,
        Bin b => b.Left.MustBeRefused || b.Right.MustBeRefused || (b.Op == '/' && !b.Right.ReadsInput && b.Right.Evaluate([]) == 0),
        Call c => c.Args.Any(a => a.MustBeRefused),
        _ => false,
    };

    /// <summary>IEEE 754-2019 minimum: NaN wins, and −0 is below +0. (Math.Min's answer for signed zeros depends on
    /// whether the JIT inlines it, so the reference does not use it.)</summary>
    static double IeeeMinimum(double a, double b) =>
        double.IsNaN(a) || double.IsNaN(b) ? double.NaN : a == b ? (double.IsNegative(a) ? a : b) : a < b ? a : b;

    static double Apply(char op, double a, double b) => op switch
    {
        '+' => a + b,
        '-' => a - b,
        '*' => a * b,
        '/' => a / b,
        _ => Math.Pow(a, b),
    };

    static double Function(string name, double[] a) => name switch
    {
        "ln" or "log" => Math.Log(a[0]),
        "log2" => Math.Log2(a[0]),
        "log10" => Math.Log10(a[0]),
        "exp" => Math.Exp(a[0]),
        "sqrt" => Math.Sqrt(a[0]),
        "abs" => Math.Abs(a[0]),
        "sin" => Math.Sin(a[0]),
        "cos" => Math.Cos(a[0]),
        "tan" => Math.Tan(a[0]),
        "asin" => Math.Asin(a[0]),
        "acos" => Math.Acos(a[0]),
        "atan" => Math.Atan(a[0]),
        "sinh" => Math.Sinh(a[0]),
        "cosh" => Math.Cosh(a[0]),
        "tanh" => Math.Tanh(a[0]),
        "sigmoid" => 1.0 / (1.0 + Math.Exp(-a[0])),
        "sign" => double.IsNaN(a[0]) ? double.NaN : Math.Sign(a[0]),
        "floor" => Math.Floor(a[0]),
        "ceil" => Math.Ceiling(a[0]),
        "min" => IeeeMinimum(a[0], a[1]),
        "max" => -IeeeMinimum(-a[0], -a[1]),
        "pow" => Math.Pow(a[0], a[1]),
        _ => throw new InvalidOperationException(name),
    };
}

sealed record Num(double Value) : Expr;
sealed record Named(string Name, double Value) : Expr;
sealed record Var(int Index, bool Numbered) : Expr;
sealed record Neg(Expr Operand) : Expr;
sealed record Bin(char Op, Expr Left, Expr Right) : Expr;
sealed record Call(string Name, Expr[] Args) : Expr;
