using System.Globalization;

namespace NeuralFit;

/// <summary>
/// Memory sizes as people write them: <c>512MB</c>, <c>2GB</c>, <c>1.5GiB</c>, or a plain number of bytes.
/// KB, MB, GB and TB are powers of 1000; KiB, MiB, GiB and TiB powers of 1024.
/// </summary>
internal static class ByteSize
{
    /// <summary>Below this, a limit is surely a missing unit ("4" meant 4GB), not a real budget.</summary>
    public const long Smallest = 1_000_000;

    static readonly (string Unit, double Factor)[] Units =
    [
        ("TiB", 1L << 40), ("GiB", 1L << 30), ("MiB", 1L << 20), ("KiB", 1L << 10),
        ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3), ("T", 1e12), ("G", 1e9), ("M", 1e6), ("K", 1e3), ("B", 1),
    ];

    /// <param name="text">The size as written.</param>
    /// <param name="error">Makes the error for a bad size (naming where it was written).</param>
    public static long Parse(string text, Func<string, InputError> error)
    {
        text = text.Trim();
        double factor = 1;
        string number = text;
        foreach (var (unit, f) in Units)
            if (text.EndsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                (factor, number) = (f, text[..^unit.Length].TrimEnd());
                break;
            }
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !double.IsFinite(amount))
            throw error($"expected a size such as 512MB or 2GB, got '{text}'");
        double bytes = amount * factor;
        if (bytes < Smallest)
            throw error($"'{text}' is {Format(bytes)}, less than the {Format(Smallest)} a run needs; give a unit, e.g. {number}GB");
        if (bytes > 1e18) throw error($"'{text}' is more memory than any machine has");
        return (long)bytes;
    }

    /// <summary>"1.5 GB", "820 MB", "12 KB": three significant digits, powers of 1000.</summary>
    public static string Format(double bytes)
    {
        string[] names = ["bytes", "KB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"];
        int i = 0;
        while (Math.Abs(bytes) >= 1000 && i < names.Length - 1) { bytes /= 1000; i++; }
        string digits = i == 0 || Math.Abs(bytes) >= 100 ? "0" : Math.Abs(bytes) >= 10 ? "0.#" : "0.##";
        return $"{bytes.ToString(digits, CultureInfo.InvariantCulture)} {names[i]}";
    }
}
