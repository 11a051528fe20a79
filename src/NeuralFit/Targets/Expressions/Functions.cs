using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;

namespace NeuralFit.Targets.Expressions;

/// <summary>
/// A function the language knows: its name, its argument count, and the one static method that computes it. The
/// method comes from a method-group delegate fixed in this file, never from a name found in the input, so an
/// expression can call these methods and nothing else.
/// </summary>
internal sealed class Function
{
    readonly Func<double, double>? _unary;
    readonly Func<double, double, double>? _binary;

    public string Name { get; }
    public int Arity { get; }

    /// <summary>What compiled code calls; the same method <see cref="Apply"/> runs, so folding and evaluation agree.</summary>
    public MethodInfo Method { get; }

    Function(string name, int arity, Delegate method)
    {
        // Compiled code calls Method with no target object, so a lambda (an instance method on a closure) won't do.
        if (!method.Method.IsStatic) throw new InvalidOperationException($"function '{name}' must be a static method");
        (Name, Arity, Method) = (name, arity, method.Method);
    }

    Function(string name, Func<double, double> method) : this(name, 1, method) => _unary = method;
    Function(string name, Func<double, double, double> method) : this(name, 2, method) => _binary = method;

    public static Function Unary(string name, Func<double, double> method) => new(name, method);
    public static Function Binary(string name, Func<double, double, double> method) => new(name, method);

    public double Apply(ReadOnlySpan<double> arguments) =>
        _unary is not null ? _unary(arguments[0]) : _binary!(arguments[0], arguments[1]);
}

/// <summary>The function table, and the methods it needs that Math lacks.</summary>
internal static class Functions
{
    public static readonly Function Pow = Function.Binary("pow", Math.Pow);

    static readonly Function[] All =
    [
        Function.Unary("ln", Math.Log),
        Function.Unary("log", Math.Log),
        Function.Unary("log2", Math.Log2),
        Function.Unary("log10", Math.Log10),
        Function.Unary("exp", Math.Exp),
        Function.Unary("sqrt", Math.Sqrt),
        Function.Unary("abs", Math.Abs),
        Function.Unary("sin", Math.Sin),
        Function.Unary("cos", Math.Cos),
        Function.Unary("tan", Math.Tan),
        Function.Unary("asin", Math.Asin),
        Function.Unary("acos", Math.Acos),
        Function.Unary("atan", Math.Atan),
        Function.Unary("sinh", Math.Sinh),
        Function.Unary("cosh", Math.Cosh),
        Function.Unary("tanh", Math.Tanh),
        Function.Unary("sigmoid", Sigmoid),
        Function.Unary("sign", Sign),
        Function.Unary("floor", Math.Floor),
        Function.Unary("ceil", Math.Ceiling),
        Function.Binary("min", Min),
        Function.Binary("max", Max),
        Pow,
    ];

    static readonly FrozenDictionary<string, Function> ByName = All.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => All.Select(f => f.Name);

    public static bool TryGet(string name, [NotNullWhen(true)] out Function? function) => ByName.TryGetValue(name, out function);

    public static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));

    /// <summary>
    /// The smaller, as IEEE 754-2019 minimum: NaN if either is NaN, and −0 below +0. Written out rather than calling
    /// Math.Min, whose JIT intrinsic (.NET 10, x64) answers +0 for min(−0, +0) where the method itself answers −0:
    /// folded constants (run through a delegate) and compiled code (inlined) would then disagree. Found by fuzzing.
    /// </summary>
    public static double Min(double a, double b)
    {
        if (a < b) return a;
        if (b < a) return b;
        if (double.IsNaN(a) || double.IsNaN(b)) return double.NaN;
        return double.IsNegative(a) ? a : b; // equal: only the signs of zeros can differ
    }

    /// <summary>The larger, as IEEE 754-2019 maximum: NaN if either is NaN, and +0 above −0 (see <see cref="Min"/>).</summary>
    public static double Max(double a, double b)
    {
        if (a > b) return a;
        if (b > a) return b;
        if (double.IsNaN(a) || double.IsNaN(b)) return double.NaN;
        return double.IsNegative(a) ? b : a;
    }

    /// <summary>-1, 0 or 1 as Math.Sign, but NaN for NaN, where Math.Sign throws.</summary>
    public static double Sign(double z) => double.IsNaN(z) ? double.NaN : Math.Sign(z);
}

internal static class NamedConstants
{
    static readonly (string Name, double Value)[] All = [("pi", Math.PI), ("e", Math.E)];

    public static IEnumerable<string> Names => All.Select(c => c.Name);

    public static bool TryGet(string name, out double value)
    {
        foreach (var constant in All)
            if (constant.Name == name) { value = constant.Value; return true; }
        value = 0;
        return false;
    }
}
