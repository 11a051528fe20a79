using System.Globalization;
using System.Text.Json;

namespace NeuralFit.Configuration;

/// <summary>
/// One setting's raw value, from a flag or a JSON file, read the same way whichever it came from.
/// <see cref="Where"/> names the source in error messages ("--lr" or "run.json: learningRate").
/// </summary>
internal abstract class ConfigValue(string where)
{
    public string Where { get; } = where;
    public abstract string Text();
    public abstract double Number();
    public abstract IReadOnlyList<ConfigValue> Items();

    /// <summary>
    /// A whole number, kept as a double so that one too large for any integer type (1e23) is still reported as too
    /// large by the caller's range check, with its value, rather than as "not a whole number" or an overflow.
    /// </summary>
    public double WholeNumber()
    {
        double v = Number();
        return v == Math.Floor(v) ? v : throw Error($"expected a whole number, got {Show(v)}");
    }

    /// <summary>A whole number from <paramref name="lo"/> to <paramref name="hi"/>.</summary>
    public long Integer(long lo, long hi)
    {
        double v = WholeNumber();
        if (v < lo) throw Error($"must be at least {lo:N0}, got {ShowCount(v)}");
        if (v > hi) throw Error($"must be at most {hi:N0}, got {ShowCount(v)}");
        return (long)v;
    }

    /// <summary>"1,200" for counts a long holds exactly, "1e+23" beyond.</summary>
    public static string ShowCount(double v) => Math.Abs(v) < 1e15 ? v.ToString("N0", CultureInfo.InvariantCulture) : Show(v);

    public bool Boolean() => Text() switch
    {
        "true" => true,
        "false" => false,
        var t => throw Error($"expected true or false, got '{t}'"),
    };

    public InputError Error(string message) => new($"{Where}: {message}");

    protected static double ParseNumber(string text, Func<string, InputError> error)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
            throw error($"expected a number, got '{text}'");
        if (!double.IsFinite(v)) throw error($"expected a finite number, got '{text}'");
        return v;
    }

    /// <summary>The number exactly (round-trip), its exponent written as the rest of NeuralFit writes it: 1e+23, not 1E+23.</summary>
    protected static string Show(double v) => v.ToString("R", CultureInfo.InvariantCulture).Replace('E', 'e');
}

/// <summary>A flag's value; a repeated flag (--domain a --domain b) or a comma list gives several items.</summary>
internal sealed class FlagValue(string where, IReadOnlyList<string> texts) : ConfigValue(where)
{
    /// <summary>The texts as given, one per use of the flag (not split at commas).</summary>
    public IReadOnlyList<string> Texts => texts;

    public override string Text() => texts.Count == 1 ? texts[0] : throw Error("given more than once");
    public override double Number() => ParseNumber(Text(), Error);

    public override IReadOnlyList<ConfigValue> Items()
    {
        var parts = texts.Count == 1 ? texts[0].Split(',', StringSplitOptions.TrimEntries) : texts.ToArray();
        return parts.Select(p => (ConfigValue)new FlagValue(Where, [p])).ToList();
    }
}

/// <summary>A value from a JSON configuration file or patch.</summary>
internal sealed class JsonConfigValue(string where, JsonElement element) : ConfigValue(where)
{
    public JsonElement Element => element;

    public override string Text() => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString()!,
        JsonValueKind.Number => element.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw Error($"expected a string or a number, got {Describe(element)}"),
    };

    public override double Number() => element.ValueKind switch
    {
        JsonValueKind.Number => element.TryGetDouble(out double v) && double.IsFinite(v) ? v : throw Error($"number out of range: {element.GetRawText()}"),
        JsonValueKind.String => ParseNumber(element.GetString()!, Error),
        _ => throw Error($"expected a number, got {Describe(element)}"),
    };

    public override IReadOnlyList<ConfigValue> Items() => element.ValueKind switch
    {
        JsonValueKind.Array => element.EnumerateArray().Select((e, i) => (ConfigValue)new JsonConfigValue($"{Where}[{i}]", e)).ToList(),
        JsonValueKind.String => new FlagValue(Where, [element.GetString()!]).Items(),
        JsonValueKind.Number => [this],
        _ => throw Error($"expected a list, got {Describe(element)}"),
    };

    static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.Null => "null",
        JsonValueKind.True or JsonValueKind.False => e.GetRawText(),
        _ => $"'{e.GetRawText()}'",
    };
}
