using NeuralFit.Targets;

namespace NeuralFit.Tests.Targets;

public class ExpressionTests
{
    static double Eval(string text, params double[] inputs) => TargetExpression.Parse(text).Evaluate(inputs);

    static string ErrorOf(string text) => Assert.Throws<InputError>(() => TargetExpression.Parse(text)).Message;

    static readonly double[] Points = [-2.5, -1, -0.3, 0, 0.25, 0.5, 1, 3.7];

    static readonly Dictionary<string, Func<double, double>> Unary = new()
    {
        ["ln"] = Math.Log, ["log"] = Math.Log, ["log2"] = Math.Log2, ["log10"] = Math.Log10, ["exp"] = Math.Exp,
        ["sqrt"] = Math.Sqrt, ["abs"] = Math.Abs, ["sin"] = Math.Sin, ["cos"] = Math.Cos, ["tan"] = Math.Tan,
        ["asin"] = Math.Asin, ["acos"] = Math.Acos, ["atan"] = Math.Atan, ["sinh"] = Math.Sinh, ["cosh"] = Math.Cosh,
        ["tanh"] = Math.Tanh, ["sigmoid"] = z => 1 / (1 + Math.Exp(-z)), ["sign"] = z => Math.Sign(z),
        ["floor"] = Math.Floor, ["ceil"] = Math.Ceiling,
    };

    public static TheoryData<string> UnaryNames => [.. Unary.Keys];

    [Theory, MemberData(nameof(UnaryNames))]
    public void UnaryFunctionsMatchMath(string name)
    {
        var f = TargetExpression.Parse($"{name}(x)");
        foreach (double x in Points) Assert.Equal(Unary[name](x), f.Evaluate([x]));
    }

    [Fact]
    public void BinaryFunctionsMatchMath()
    {
        foreach (double a in Points)
        foreach (double b in Points)
        {
            Assert.Equal(Math.Min(a, b), Eval("min(x1, x2)", a, b));
            Assert.Equal(Math.Max(a, b), Eval("max(x1, x2)", a, b));
            Assert.Equal(Math.Pow(a, b), Eval("pow(x1, x2)", a, b));
            Assert.Equal(Math.Pow(a, b), Eval("x1^x2", a, b));
        }
    }

    [Fact]
    public void NaNPropagatesWithoutThrowing()
    {
        Assert.True(double.IsNaN(Eval("sign(x)", double.NaN)));
        Assert.True(double.IsNaN(Eval("min(x, 1)", double.NaN)));
        Assert.True(double.IsNaN(Eval("max(1, x)", double.NaN)));
        Assert.True(double.IsNaN(Eval("ln(x)", -1)));
    }

    [Fact]
    public void ConstantsAreMathConstants()
    {
        Assert.Equal(Math.PI, Eval("pi"));
        Assert.Equal(Math.E, Eval("e"));
        var constant = TargetExpression.Parse("2*pi + e");
        Assert.Equal(0, constant.HighestInput);
        Assert.Equal(2 * Math.PI + Math.E, constant.Evaluate([]));
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("2.5", 2.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1)]
    [InlineData("1e-3", 1e-3)]
    [InlineData("1.5E+2", 150)]
    [InlineData(" \t7 \n", 7)]
    public void NumbersParse(string text, double expected) => Assert.Equal(expected, Eval(text));

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 2 * 3 + 1", 5)]
    [InlineData("2 * 3 ^ 2", 18)]
    [InlineData("2^3^2", 512)]
    [InlineData("(2^3)^2", 64)]
    [InlineData("-2^2", -4)]
    [InlineData("2^-1", 0.5)]
    [InlineData("2^-2^2", 0.0625)]
    [InlineData("8 / 4 / 2", 1)]
    [InlineData("8 - 4 - 2", 2)]
    [InlineData("2 * -3", -6)]
    [InlineData("-3 * 2", -6)]
    public void PrecedenceAndAssociativity(string text, double expected) => Assert.Equal(expected, Eval(text));

    [Theory]
    [InlineData("-x^2", -9)]
    [InlineData("--x", 3)]
    [InlineData("---x", -3)]
    [InlineData("- - x", 3)]
    [InlineData("-+-x", 3)]
    [InlineData("+x", 3)]
    [InlineData("x - -x", 6)]
    [InlineData("x--x", 6)]
    [InlineData("-x * -x", 9)]
    public void SignsAtThree(string text, double expected) => Assert.Equal(expected, Eval(text, 3));

    [Fact]
    public void SeveralInputs()
    {
        var sum = TargetExpression.Parse("x1*x2+x3");
        Assert.Equal((3, true), (sum.HighestInput, sum.UsesIndexedInputs));
        Assert.Equal(10, sum.Evaluate([2, 3, 4]));

        var single = TargetExpression.Parse("x1^2");
        Assert.Equal((1, true), (single.HighestInput, single.UsesIndexedInputs));
        Assert.Equal(25, single.Evaluate([5]));

        var plain = TargetExpression.Parse("x^2");
        Assert.Equal((1, false), (plain.HighestInput, plain.UsesIndexedInputs));

        Assert.Equal(2, TargetExpression.Parse("x2").HighestInput); // x1 unused but still counted
        Assert.Equal("x1*x2+x3", sum.Text);
    }

    [Theory]
    [InlineData("", "empty expression")]
    [InlineData("  ", "empty expression")]
    [InlineData("lnn(x)", "unknown function 'lnn' at column 1 (did you mean 'ln'?)")]
    [InlineData("Sin(x)", "unknown function 'Sin' at column 1 (did you mean 'sin'?)")]
    [InlineData("2*sigmod(x)", "unknown function 'sigmod' at column 3 (did you mean 'sigmoid'?)")]
    [InlineData("pii*x", "unknown name 'pii' at column 1 (did you mean 'pi'?)")]
    [InlineData("y", "unknown name 'y' at column 1 (use x, or x1..xn for several inputs)")]
    [InlineData("x + X", "unknown name 'X' at column 5 (did you mean 'x'?)")]
    [InlineData("sin(x))", "unexpected ')' at column 7")]
    [InlineData("2+(x1", "missing ')' at column 6 (opened at column 3)")]
    [InlineData("sin(", "missing ')' at column 5 (opened at column 4)")]
    [InlineData("()", "empty parentheses at column 1")]
    [InlineData("(x, 2)", "unexpected ',' at column 3")]
    [InlineData("*x", "unexpected '*' at column 1")]
    [InlineData("x +", "missing operand after '+' at column 3")]
    [InlineData("2x", "expected an operator at column 2, found 'x' (write '2*x' to multiply)")]
    [InlineData("2 (x)", "expected an operator at column 3, found '(' (use '*' to multiply)")]
    [InlineData("x # 2", "unexpected character '#' at column 3")]
    [InlineData("1e999", "number '1e999' at column 1 is too large")]
    [InlineData("min(x)", "function 'min' at column 1 takes 2 arguments, got 1")]
    [InlineData("x + sin(x, 2)", "function 'sin' at column 5 takes 1 argument, got 2")]
    [InlineData("sin x", "function 'sin' at column 1 needs its argument in parentheses, e.g. 'sin(x)'")]
    [InlineData("x + x2", "'x2' at column 5 mixes x with numbered inputs ('x' at column 1); write x alone for one input, or x1..xn for several")]
    [InlineData("x0", "input 'x0' at column 1 is not valid: inputs are x1, x2, ... with no leading zeros")]
    [InlineData("x10001", "input 'x10001' at column 1 is beyond the limit of 10000 inputs")]
    [InlineData("1/0", "expression is not finite: '1/0' at column 1 evaluates to ∞")]
    [InlineData("x + (1/0)", "expression is not finite: '1/0' at column 6 evaluates to ∞")]
    [InlineData("ln(0) * x", "expression is not finite: 'ln(0)' at column 1 evaluates to -∞")]
    [InlineData("sqrt(-1)", "expression is not finite: 'sqrt(-1)' at column 1 evaluates to NaN")]
    [InlineData("x/(1-1)", "expression is not finite: 'x/(1-1)' at column 1 divides by zero")]
    public void ErrorsNameWhatAndWhere(string text, string message) => Assert.Equal(message, ErrorOf(text));

    [Fact]
    public void UnknownFunctionWithoutNeighbourListsTheKnownOnes() =>
        Assert.StartsWith("unknown function 'foo' at column 1 (known functions: ln, log, log2", ErrorOf("foo(x)"));

    [Fact]
    public void HostileInputIsRefusedWithoutOverflowingTheStack()
    {
        Assert.Contains("the limit is 100000", ErrorOf(new string('1', 1 << 20)));
        Assert.Contains("the limit is 100000", ErrorOf(string.Concat(Enumerable.Repeat("(x+", 1 << 18))));
        Assert.Contains("more than 4000 tokens", ErrorOf(new string('(', 10_000) + "x" + new string(')', 10_000)));
        Assert.Contains("more than 4000 tokens", ErrorOf(new string('-', 10_000) + "x"));
        Assert.Contains("more than 4000 tokens", ErrorOf(string.Join("^", Enumerable.Repeat("2", 10_000))));
    }

    [Theory]
    [InlineData("(", "x", ")", 257)]
    [InlineData("-", "x", "", 257)]
    [InlineData("sin(", "x", ")", 1028)]
    [InlineData("2^", "x", "", 514)]
    [InlineData("-(", "x", ")", 257)]
    public void NestingPastTheLimitIsRefusedWhereItHappens(string open, string middle, string close, int column)
    {
        string text = string.Concat(Enumerable.Repeat(open, 300)) + middle + string.Concat(Enumerable.Repeat(close, 300));
        Assert.Equal($"expression nests deeper than 256 levels at column {column} " +
                     "(each parenthesis, function call, sign and '^' opens a level)", ErrorOf(text));
    }

    [Fact]
    public void NestingAtTheLimitIsAccepted()
    {
        Assert.Equal(0.5, Eval(new string('(', 256) + "x" + new string(')', 256), 0.5));
        Assert.Equal(0.5, Eval(new string('-', 256) + "x", 0.5));
        Assert.Equal(1, Eval(string.Concat(Enumerable.Repeat("1^", 256)) + "x", 0.5));
        string deep = string.Concat(Enumerable.Repeat("abs(", 256)) + "x" + new string(')', 256);
        Assert.Equal(0.5, Eval(deep, -0.5));
    }

    [Fact]
    public void AThreadWithTooLittleStackGetsAnInputErrorNotACrash()
    {
        string deep = string.Concat(Enumerable.Repeat("sin(", 256)) + "x" + new string(')', 256);
        Exception? caught = null;
        var thread = new Thread(() =>
        {
            try { TargetExpression.Parse(deep); }
            catch (Exception e) { caught = e; }
        }, maxStackSize: 192 * 1024);
        thread.Start();
        thread.Join();
        Assert.IsType<InputError>(caught);
        Assert.StartsWith("expression nests too deeply for this thread's stack at column ", caught.Message);
    }

    [Fact]
    public void LongFlatSumsCostNoDepth()
    {
        string sum = string.Join(" + ", Enumerable.Repeat("x", 1_999));
        var e = TargetExpression.Parse(sum);
        Assert.Equal(1_999, e.Evaluate([1]));
        Assert.Equal(sum, e.ToString());
        Assert.Equal(sum, TargetExpression.Parse(e.ToString()).ToString());
    }

    [Fact]
    public void CanonicalFormOfALongInputStillParses()
    {
        // Printing adds spaces and can lengthen numbers (1e14 prints as 100000000000000), never tokens.
        string text = string.Join("+", Enumerable.Repeat("1e14*x", 1_000));
        var e = TargetExpression.Parse(text);
        Assert.True(e.ToString().Length > 3 * text.Length);
        Assert.Equal(e.ToString(), TargetExpression.Parse(e.ToString()).ToString());
    }

    [Theory]
    [InlineData("2*x+1", "2 * x + 1")]
    [InlineData("-(x^2)", "-x^2")]
    [InlineData("(-x)^2", "(-x)^2")]
    [InlineData("((x))", "x")]
    [InlineData("+x", "x")]
    [InlineData("- -x", "--x")]
    [InlineData("x-(x-1)", "x - (x - 1)")]
    [InlineData("(x-x)-1", "x - x - 1")]
    [InlineData("(x*2)/x", "x * 2 / x")]
    [InlineData("x/(2*x)", "x / (2 * x)")]
    [InlineData("-(x*2)", "-(x * 2)")]
    [InlineData("2^(3^x)", "2^3^x")]
    [InlineData("(2^3)^x", "(2^3)^x")]
    [InlineData("2^(-x)", "2^-x")]
    [InlineData("min( x ,2 )", "min(x, 2)")]
    [InlineData("1e-3*x", "0.001 * x")]
    [InlineData("1.5E+2 + 1e20 + .5", "150 + 1E+20 + 0.5")]
    [InlineData("sin(2*pi*x)", "sin(2 * pi * x)")]
    [InlineData("x1*x2+x3", "x1 * x2 + x3")]
    public void CanonicalForm(string text, string canonical) => Assert.Equal(canonical, TargetExpression.Parse(text).ToString());

    [Theory]
    [InlineData("ln(x)")]
    [InlineData("exp(-x^2)")]
    [InlineData("-x^2 + (-x)^2 - -x")]
    [InlineData("2^3^x + (2^3)^x + 2^-x")]
    [InlineData("x - (x - 1) + (x - x) - 1")]
    [InlineData("(x + 1) + (x + 2) * (x - 3) / (x * 4)")]
    [InlineData("1 + 2 + x + 1 + 2")]
    [InlineData("1/3*x + 0.1 + 0.2*x")]
    [InlineData("-(x*2) + --x - +-x")]
    [InlineData("min(x, 2) + max(x, -1) - pow(x, 3) + x^3")]
    [InlineData("sigmoid(x) * sign(x) + floor(x*3)/3 + ceil(x)")]
    [InlineData("sqrt(abs(x)) + log2(abs(x) + 1) + log10(abs(x) + 1) + log(2 + x)")]
    [InlineData("tanh(x) + sinh(x) - cosh(x) + atan(x) + asin(x/10) + acos(x/10) + tan(x) + cos(x)")]
    [InlineData("e^x * pi + 1e-3 * x + 1.5E+2 + .5")]
    [InlineData("x1 * x2 + x3 / (1 + x1^2)")]
    public void PrintedFormParsesBackToTheSameExpression(string text)
    {
        var original = TargetExpression.Parse(text);
        string canonical = original.ToString();
        var reparsed = TargetExpression.Parse(canonical);
        Assert.Equal(canonical, reparsed.ToString());
        Assert.Equal(original.HighestInput, reparsed.HighestInput);
        foreach (double a in Points)
        {
            double[] inputs = [a, 0.5 - a, a * a];
            Assert.Equal(BitConverter.DoubleToInt64Bits(original.Evaluate(inputs)),
                         BitConverter.DoubleToInt64Bits(reparsed.Evaluate(inputs)));
        }
    }

    [Fact]
    public void EvaluateManyMatchesEvaluate()
    {
        var e = TargetExpression.Parse("sin(x1) * cos(x2) + x1^2 / (1 + x2^2)");
        const int n = 101, inputCount = 3; // a third column the expression does not read
        double[] x = new double[n * inputCount], y = new double[n];
        for (int i = 0; i < x.Length; i++) x[i] = Math.Sin(i * 0.37) * 3;
        e.EvaluateMany(x, inputCount, y);
        for (int i = 0; i < n; i++) Assert.Equal(e.Evaluate(x.AsSpan(i * inputCount, inputCount)), y[i]);
    }

    [Fact]
    public void EvaluateManyAllocatesNothing()
    {
        var e = TargetExpression.Parse("ln(x) + sigmoid(x)^2 + 1 + 2 + x");
        double[] x = new double[1_000], y = new double[1_000];
        for (int i = 0; i < x.Length; i++) x[i] = 0.001 * (i + 1);
        e.EvaluateMany(x, 1, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        e.EvaluateMany(x, 1, y);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void ConstantExpressionsNeedNoInputs()
    {
        var e = TargetExpression.Parse("2^10");
        double[] y = new double[5];
        e.EvaluateMany([], 0, y);
        Assert.All(y, value => Assert.Equal(1024, value));
    }

    [Fact]
    public void TooFewInputsOrMismatchedShapesAreRefused()
    {
        var e = TargetExpression.Parse("x1 + x3");
        Assert.Equal("the expression 'x1 + x3' uses x3 but only 2 inputs were given",
                     Assert.Throws<InputError>(() => e.Evaluate([1, 2])).Message);
        Assert.Throws<InputError>(() => e.EvaluateMany(new double[4], 2, new double[2]));
        Assert.Throws<ArgumentException>(() => e.EvaluateMany(new double[10], 3, new double[3]));
    }
}
