using System.Globalization;

namespace NeuralFit.Training.Schedules;

public enum ScheduleKind { Constant, Step, Exponential, Cosine, Plateau }

/// <summary>
/// A learning-rate schedule as written in the configuration: <c>constant</c>, <c>step[:every:gamma]</c>,
/// <c>exponential[:final]</c>, <c>cosine[:final]</c>, <c>plateau[:patience:factor]</c>, each optionally followed
/// by <c>+warmup:N</c> (a linear ramp over the first N steps). A bare <c>warmup:N</c> is a constant rate with warmup.
/// </summary>
public sealed record ScheduleSpec(ScheduleKind Kind, double A = 0, double B = 0, int WarmupSteps = 0)
{
    public static readonly ScheduleSpec Constant = new(ScheduleKind.Constant);

    public static IEnumerable<string> Forms => ["constant", "step[:every:gamma]", "exponential[:final]", "cosine[:final]", "plateau[:patience:factor]", "...+warmup:N"];

    public static ScheduleSpec Parse(string text, string where)
    {
        var pieces = text.Trim().Split('+');
        if (pieces.Length > 2) throw new InputError($"{where}: expected a schedule with at most one '+warmup:N', got '{text}'");
        int warmup = 0;
        if (pieces.Length == 2) warmup = ParseWarmup(pieces[1], text, where);
        if (pieces.Length == 1 && pieces[0].StartsWith("warmup", StringComparison.Ordinal))
            return new ScheduleSpec(ScheduleKind.Constant, WarmupSteps: ParseWarmup(pieces[0], text, where));

        var parts = pieces[0].Split(':');
        double Arg(int i, double fallback)
        {
            if (parts.Length <= i) return fallback;
            if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                throw new InputError($"{where}: '{parts[i]}' in '{text}' is not a number");
            return v;
        }
        void MaxArgs(int n)
        {
            if (parts.Length - 1 > n) throw new InputError($"{where}: '{parts[0]}' takes at most {n} parameter(s), got '{text}'");
        }
        ScheduleSpec spec;
        switch (parts[0])
        {
            case "constant": MaxArgs(0); spec = new(ScheduleKind.Constant); break;
            case "step": MaxArgs(2); spec = new(ScheduleKind.Step, Arg(1, 0), Arg(2, 0.1)); break;
            case "exponential": MaxArgs(1); spec = new(ScheduleKind.Exponential, Arg(1, 0.01)); break;
            case "cosine": MaxArgs(1); spec = new(ScheduleKind.Cosine, Arg(1, 0.0)); break;
            case "plateau": MaxArgs(2); spec = new(ScheduleKind.Plateau, Arg(1, 10), Arg(2, 0.5)); break;
            default:
                throw new InputError($"{where}: unknown schedule '{parts[0]}'{Suggestions.Nearest(parts[0], ["constant", "step", "exponential", "cosine", "plateau", "warmup"])}; use one of {string.Join(", ", Forms)}");
        }
        spec = spec with { WarmupSteps = warmup };
        Validate(spec, text, where);
        return spec;
    }

    static int ParseWarmup(string piece, string text, string where)
    {
        var p = piece.Split(':');
        if (p.Length != 2 || p[0] != "warmup" || !int.TryParse(p[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new InputError($"{where}: expected '+warmup:N' with N a whole number of steps, got '{text}'");
        return n;
    }

    static void Validate(ScheduleSpec s, string text, string where)
    {
        bool ok = s.Kind switch
        {
            ScheduleKind.Step => s.A >= 0 && s.B > 0 && s.B <= 1,
            ScheduleKind.Exponential => s.A > 0 && s.A <= 1,
            ScheduleKind.Cosine => s.A >= 0 && s.A <= 1,
            ScheduleKind.Plateau => s.A >= 1 && s.B > 0 && s.B < 1,
            _ => true,
        };
        if (!ok) throw new InputError($"{where}: the parameters of '{text}' are out of range (factors in (0, 1], counts ≥ 1)");
    }

    public override string ToString()
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string body = Kind switch
        {
            ScheduleKind.Constant => "constant",
            ScheduleKind.Step => $"step:{F(A)}:{F(B)}",
            ScheduleKind.Exponential => $"exponential:{F(A)}",
            ScheduleKind.Cosine => $"cosine:{F(A)}",
            ScheduleKind.Plateau => $"plateau:{F(A)}:{F(B)}",
            _ => Kind.ToString(),
        };
        return WarmupSteps > 0 ? $"{body}+warmup:{WarmupSteps}" : body;
    }
}
