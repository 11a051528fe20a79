using System.Globalization;

namespace NeuralFit.Configuration;

/// <summary>
/// A closed input range written <c>lo:hi</c>, with finite ends and lo &lt; hi. Each end is a number or a constant
/// expression in the target language (<c>0:2*pi</c>, <c>-sqrt(2):sqrt(2)</c>).
/// </summary>
public readonly record struct Interval(double Lo, double Hi)
{
    public double Width => Hi - Lo;
    public double Mid => 0.5 * (Lo + Hi);

    /// <param name="where">Names the source in error messages, e.g. "--domain" or "run.json: domain[1]".</param>
    public static Interval Parse(string text, string where)
    {
        var parts = text.Split(':');
        if (parts.Length != 2)
            throw new InputError($"{where}: expected a range lo:hi such as 0.01:1, got '{text}'");
        double lo = ParseEnd(parts[0], text, where), hi = ParseEnd(parts[1], text, where);
        if (!(lo < hi))
            throw new InputError($"{where}: the range '{text}' is empty: lo must be below hi");
        if (Math.Max(Math.Abs(lo), Math.Abs(hi)) > MaxEnd)
            throw new InputError($"{where}: the range '{text}' reaches beyond ±1e150: NeuralFit squares inputs to normalise them, which float64 " +
                                 "holds only up to there; rescale the input");
        return new Interval(lo, hi);
    }

    /// <summary>Largest end of a range: see Fitting.Representability.MaxMagnitude, whose reasoning holds for inputs too.</summary>
    public const double MaxEnd = 1e150;

    static double ParseEnd(string part, string text, string where)
    {
        if (!double.TryParse(part.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            v = Constant(part, text, where);
        if (!double.IsFinite(v))
            throw new InputError($"{where}: the range '{text}' must have finite ends");
        return v;
    }

    /// <summary>An end written as an expression: the target language's parser and constant folding, with no input.</summary>
    static double Constant(string part, string text, string where)
    {
        Targets.TargetExpression expression;
        try { expression = Targets.TargetExpression.Parse(part.Trim()); }
        catch (InputError e)
        {
            throw new InputError($"{where}: '{part}' in '{text}' is not a number, nor a constant expression such as 2*pi ({e.Message})");
        }
        if (expression.HighestInput > 0)
            throw new InputError($"{where}: '{part}' in '{text}' uses an input; a range's ends are numbers or constants such as 2*pi");
        return expression.Evaluate([]);
    }

    public bool Contains(double x) => x >= Lo && x <= Hi;

    public override string ToString() =>
        $"{Lo.ToString("R", CultureInfo.InvariantCulture)}:{Hi.ToString("R", CultureInfo.InvariantCulture)}";
}
