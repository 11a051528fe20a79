using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using NeuralFit.Configuration;
using NeuralFit.Files;

namespace NeuralFit.Persistence;

/// <summary>
/// Reads fields of a JSON file NeuralFit wrote (a checkpoint, a saved model), checking each one's type, range and
/// size before using it, so a damaged or hostile file ends in one <see cref="InputError"/> that names the file and
/// the field ("checkpoint.json: optimizer.vectors[1]: expected 671 float32 values, found 670"), never in an
/// exception from deep inside, nor in an allocation sized by the file.
/// </summary>
internal readonly struct JsonField(JsonElement element, string path, string file)
{
    public string Path => path;
    public JsonElement Element => element;

    public JsonField this[string name] =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? new JsonField(child, Join(name), file)
            : throw new InputError($"{file}: '{Join(name)}' is missing");

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public JsonField? Optional(string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var child) && child.ValueKind != JsonValueKind.Null
            ? new JsonField(child, Join(name), file)
            : null;

    public InputError Error(string message) => new($"{file}: {path}: {message}");

    /// <summary>This object, refusing any key but <paramref name="known"/>: a misspelt or foreign field is not silently ignored.</summary>
    public JsonField Only(params string[] known)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Error($"expected an object, got {Kind()}");
        foreach (var property in element.EnumerateObject())
            if (Array.IndexOf(known, property.Name) < 0)
                throw new InputError($"{file}: '{Join(property.Name)}': unknown key{Suggestions.Nearest(property.Name, known)}");
        return this;
    }

    public string Text() => element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Error($"expected text, got {Kind()}");

    /// <summary>A number; NaN and ±∞, which JSON lacks, are written as the strings "NaN", "Infinity" and "-Infinity".</summary>
    public double Number()
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out double v) && double.IsFinite(v)) return v;
        if (element.ValueKind == JsonValueKind.String)
            switch (element.GetString())
            {
                case "NaN": return double.NaN;
                case "Infinity": return double.PositiveInfinity;
                case "-Infinity": return double.NegativeInfinity;
            }
        throw Error($"expected a number, got {Kind()}");
    }

    public double FiniteNumber()
    {
        double v = Number();
        return double.IsFinite(v) ? v : throw Error($"expected a finite number, got {v}");
    }

    public long Integer(long min, long max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out long v)) throw Error($"expected a whole number, got {Kind()}");
        return v >= min && v <= max ? v : throw Error($"expected a whole number from {min:N0} to {max:N0}, got {v:N0}");
    }

    public int Int(int min, int max) => (int)Integer(min, max);

    public IReadOnlyList<JsonField> Items(int maxCount)
    {
        if (element.ValueKind != JsonValueKind.Array) throw Error($"expected a list, got {Kind()}");
        int count = element.GetArrayLength();
        if (count > maxCount) throw Error($"expected at most {maxCount:N0} items, got {count:N0}");
        var items = new JsonField[count];
        int i = 0;
        foreach (var item in element.EnumerateArray()) items[i] = new JsonField(item, $"{path}[{i++}]", file);
        return items;
    }

    /// <summary>Exactly <paramref name="count"/> numbers, base64 of little-endian float32 or float64; the length is
    /// checked before anything is decoded.</summary>
    public double[] Vector(int count, Precision precision)
    {
        int size = precision == Precision.Float64 ? 8 : 4;
        var bytes = Base64((long)count * size, $"{count:N0} {precision.Name()} values", size);
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = size == 8 ? BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * 8)) : BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    /// <summary>Exactly <paramref name="count"/> 32-bit integers, base64 little-endian.</summary>
    public int[] Int32Vector(int count)
    {
        var bytes = Base64((long)count * 4, $"{count:N0} integers", 4);
        var values = new int[count];
        for (int i = 0; i < count; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(i * 4));
        return values;
    }

    /// <summary>A random-number generator's state: four 64-bit words in hexadecimal, not all zero.</summary>
    public ulong[] RngState()
    {
        var words = Items(4);
        if (words.Count != 4) throw Error($"expected 4 words of random-number state, got {words.Count}");
        var state = words.Select(w => ulong.TryParse(w.Text(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong v) && w.Text().Length == 16
            ? v : throw w.Error($"expected 16 hexadecimal digits, got '{Shorten(w.Text())}'")).ToArray();
        return state.Any(v => v != 0) ? state : throw Error("random-number state is all zero");
    }

    byte[] Base64(long expectedBytes, string what, int size)
    {
        string text = Text();
        long expectedChars = (expectedBytes + 2) / 3 * 4;
        if (text.Length != expectedChars)
        {
            long found = text.Length / 4 * 3 / size;
            throw Error($"expected {what}, found {(text.Length % 4 == 0 ? $"about {found:N0}" : "a damaged encoding")}");
        }
        var bytes = new byte[expectedBytes];
        if (!Convert.TryFromBase64String(text, bytes, out int written) || written != expectedBytes)
            throw Error($"expected {what} in base64, found a damaged encoding");
        return bytes;
    }

    string Join(string name) => path.Length == 0 ? name : $"{path}.{name}";

    string Kind() => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "a list",
        JsonValueKind.String => $"'{Shorten(element.GetString()!)}'",
        JsonValueKind.Null => "null",
        _ => Shorten(element.GetRawText()),
    };

    static string Shorten(string s) => s.Length <= 40 ? s : s[..39] + "…";

    /// <summary>Parses a whole file NeuralFit wrote, refusing a depth no NeuralFit file has.</summary>
    public static JsonDocument Parse(byte[] utf8, string file)
    {
        // The parser checks the encoding of a string only when it is read, and then throws what is no InputError.
        if (!System.Text.Unicode.Utf8.IsValid(utf8))
            throw new InputError($"{file}: not valid UTF-8 text (the file is damaged)");
        JsonDocument doc;
        int start = utf8.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0; // a byte-order mark is no part of the JSON
        try { doc = JsonDocument.Parse(utf8.AsMemory(start), new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e)
        {
            throw new InputError($"{file}: not valid JSON at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1} (the file is damaged or cut short)");
        }
        try { JsonText.Check(doc.RootElement, file); }
        catch
        {
            doc.Dispose();
            throw;
        }
        return doc;
    }
}

/// <summary>Writes the encodings <see cref="JsonField"/> reads.</summary>
internal static class JsonFieldWriter
{
    public static void Number(Utf8JsonWriter w, string name, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(name, v);
        else w.WriteString(name, double.IsNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }

    public static void Vector(Utf8JsonWriter w, string name, ReadOnlySpan<double> values, Precision precision)
    {
        int size = precision == Precision.Float64 ? 8 : 4;
        var bytes = new byte[values.Length * size];
        for (int i = 0; i < values.Length; i++)
            if (size == 8) BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
            else BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), (float)values[i]);
        w.WriteBase64String(name, bytes);
    }

    public static void Int32Vector(Utf8JsonWriter w, string name, ReadOnlySpan<int> values)
    {
        var bytes = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * 4), values[i]);
        w.WriteBase64String(name, bytes);
    }

    public static void RngState(Utf8JsonWriter w, string name, ReadOnlySpan<ulong> state)
    {
        w.WriteStartArray(name);
        foreach (ulong word in state) w.WriteStringValue(word.ToString("x16", CultureInfo.InvariantCulture));
        w.WriteEndArray();
    }
}
