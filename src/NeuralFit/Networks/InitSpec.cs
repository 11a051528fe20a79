using System.Globalization;
using NeuralFit.Sampling;

namespace NeuralFit.Networks;

public enum InitKind { Uniform, Normal, TruncatedNormal, Constant, GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunNormal, NguyenWidrow }

/// <summary>
/// How to draw a layer's initial weights or biases, written as in the configuration: <c>uniform:a:b</c>,
/// <c>normal:std</c>, <c>truncated-normal:std</c>, <c>constant:c</c>, <c>zeros</c>, <c>glorot-uniform</c>,
/// <c>glorot-normal</c>, <c>he-uniform</c>, <c>he-normal</c>, <c>lecun-normal</c>, <c>nguyen-widrow</c> (a weight init
/// that also sets the hidden layers' biases, see <see cref="NguyenWidrow"/>). Scaled inits use the layer's
/// fan-in and fan-out, as torch.nn.init does (https://pytorch.org/docs/stable/nn.init.html).
/// </summary>
public sealed record InitSpec(InitKind Kind, double A = 0, double B = 0)
{
    public static readonly InitSpec Zeros = new(InitKind.Constant, 0);

    public static IEnumerable<string> Names =>
        ["uniform:a:b", "normal:std", "truncated-normal:std", "constant:c", "zeros", "glorot-uniform", "glorot-normal", "he-uniform", "he-normal", "lecun-normal", "nguyen-widrow"];

    public static InitSpec Parse(string text, string where)
    {
        var parts = text.Trim().Split(':');
        string name = parts[0];
        int args = parts.Length - 1;
        double Arg(int i)
        {
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new InputError($"{where}: '{parts[i]}' in '{text}' is not a finite number");
            return v;
        }
        InitSpec Need(int count, Func<InitSpec> make) => args == count ? make()
            : throw new InputError($"{where}: '{name}' takes {count} parameter(s) ({Usage(name)}), got '{text}'");
        var spec = name switch
        {
            "uniform" => Need(2, () => new InitSpec(InitKind.Uniform, Arg(1), Arg(2))),
            "normal" => Need(1, () => new InitSpec(InitKind.Normal, Arg(1))),
            "truncated-normal" => Need(1, () => new InitSpec(InitKind.TruncatedNormal, Arg(1))),
            "constant" => Need(1, () => new InitSpec(InitKind.Constant, Arg(1))),
            "zeros" => Need(0, () => Zeros),
            "glorot-uniform" => Need(0, () => new InitSpec(InitKind.GlorotUniform)),
            "glorot-normal" => Need(0, () => new InitSpec(InitKind.GlorotNormal)),
            "he-uniform" => Need(0, () => new InitSpec(InitKind.HeUniform)),
            "he-normal" => Need(0, () => new InitSpec(InitKind.HeNormal)),
            "lecun-normal" => Need(0, () => new InitSpec(InitKind.LecunNormal)),
            "nguyen-widrow" => Need(0, () => new InitSpec(InitKind.NguyenWidrow)),
            _ => throw new InputError($"{where}: unknown initialiser '{name}'{Suggestions.Nearest(name, Names.Select(n => n.Split(':')[0]))}; use one of {string.Join(", ", Names)}"),
        };
        if (spec.Kind == InitKind.Uniform && !(spec.A < spec.B))
            throw new InputError($"{where}: uniform:a:b needs a < b, got '{text}'");
        if (spec.Kind is InitKind.Normal or InitKind.TruncatedNormal && !(spec.A > 0))
            throw new InputError($"{where}: the standard deviation must be > 0, got '{text}'");
        return spec;
    }

    static string Usage(string name) => Names.FirstOrDefault(n => n.Split(':')[0] == name) ?? name;

    /// <summary>Fills values for a layer with the given fan-in and fan-out.</summary>
    internal void Fill(Span<double> values, int fanIn, int fanOut, Rng rng)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = Draw(fanIn, fanOut, rng);
    }

    double Draw(int fanIn, int fanOut, Rng rng) => Kind switch
    {
        InitKind.Uniform => rng.Uniform(A, B),
        InitKind.Normal => A * rng.NextGaussian(),
        InitKind.TruncatedNormal => A * TruncatedGaussian(rng),
        InitKind.Constant => A,
        InitKind.GlorotUniform => Symmetric(Math.Sqrt(6.0 / (fanIn + fanOut)), rng),
        InitKind.GlorotNormal => Math.Sqrt(2.0 / (fanIn + fanOut)) * rng.NextGaussian(),
        InitKind.HeUniform => Symmetric(Math.Sqrt(6.0 / fanIn), rng),
        InitKind.HeNormal => Math.Sqrt(2.0 / fanIn) * rng.NextGaussian(),
        InitKind.LecunNormal => Math.Sqrt(1.0 / fanIn) * rng.NextGaussian(),
        InitKind.NguyenWidrow => throw new InvalidOperationException("nguyen-widrow sets a layer's weights and biases together (NguyenWidrow.Fill)"),
        _ => throw new InvalidOperationException(Kind.ToString()),
    };

    static double Symmetric(double limit, Rng rng) => rng.Uniform(-limit, limit);

    /// <summary>Standard normal re-drawn beyond two standard deviations, as TensorFlow's truncated_normal.</summary>
    static double TruncatedGaussian(Rng rng)
    {
        while (true)
        {
            double g = rng.NextGaussian();
            if (Math.Abs(g) <= 2.0) return g;
        }
    }

    /// <summary>The mean of the distribution (what all-positive inits such as U[0,1) get wrong).</summary>
    public double Mean => Kind switch
    {
        InitKind.Uniform => 0.5 * (A + B),
        InitKind.Constant => A,
        _ => 0.0,
    };

    public override string ToString()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return Kind switch
        {
            InitKind.Uniform => $"uniform:{F(A)}:{F(B)}",
            InitKind.Normal => $"normal:{F(A)}",
            InitKind.TruncatedNormal => $"truncated-normal:{F(A)}",
            InitKind.Constant => A == 0 ? "zeros" : $"constant:{F(A)}",
            InitKind.GlorotUniform => "glorot-uniform",
            InitKind.GlorotNormal => "glorot-normal",
            InitKind.HeUniform => "he-uniform",
            InitKind.HeNormal => "he-normal",
            InitKind.LecunNormal => "lecun-normal",
            InitKind.NguyenWidrow => "nguyen-widrow",
            _ => Kind.ToString(),
        };
    }
}
