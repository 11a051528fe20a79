using System.Globalization;
using System.Text.Json.Nodes;

namespace NeuralFit.Diagnostics;

/// <summary>Small helpers to write evidence and patches, and numbers the way people read them.</summary>
static class Evidence
{
    public static JsonObject Of(params (string Key, object? Value)[] items)
    {
        var o = new JsonObject();
        foreach (var (key, value) in items)
            o[key] = value switch
            {
                null => null,
                double d => double.IsFinite(d) ? JsonValue.Create(Math.Abs(d) < 1e-300 ? 0 : double.Parse(d.ToString("g6", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture)) : null,
                int i => JsonValue.Create(i),
                long l => JsonValue.Create(l),
                bool b => JsonValue.Create(b),
                string s => JsonValue.Create(s),
                int[] a => new JsonArray(a.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                double[] a => new JsonArray(a.Select(v => (JsonNode?)(double.IsFinite(v) ? JsonValue.Create(v) : null)).ToArray()),
                JsonNode n => n,
                _ => JsonValue.Create(value.ToString()),
            };
        return o;
    }

    /// <summary>About 3 significant digits, plain where possible: 0.00123, 1.23e-05, 12.3, 12345, 1.23e+05.</summary>
    public static string N(double v)
    {
        if (!double.IsFinite(v)) return double.IsNaN(v) ? "NaN" : v > 0 ? "∞" : "−∞";
        double a = Math.Abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return v.ToString("0.##e+00", CultureInfo.InvariantCulture);
        return a >= 100 ? v.ToString("0", CultureInfo.InvariantCulture) : v.ToString("g3", CultureInfo.InvariantCulture);
    }

    /// <summary>Signed, for values compared with each other: +65.2, −1.00.</summary>
    public static string S(double v) => (v >= 0 ? "+" : "−") + N(Math.Abs(v));

    public static string Percent(double share) => (100 * share).ToString(share < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + " %";
}
