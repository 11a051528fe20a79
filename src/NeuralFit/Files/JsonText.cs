using System.Text.Json;

namespace NeuralFit.Files;

/// <summary>
/// Checks a parsed JSON document before anything is read from it, for what the parser lets through: the same key
/// twice in one object (where the last would silently win), and a string or key holding a lone UTF-16 surrogate
/// escape ("\ud800"), which is no character and which System.Text.Json only refuses, with an exception of its own,
/// once the string is read. Either is an <see cref="InputError"/> naming the file and the field.
/// </summary>
internal static class JsonText
{
    public static void Check(JsonElement root, string source) => Visit(root, "", source);

    static void Visit(JsonElement e, string path, string source)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in e.EnumerateObject())
                {
                    string name = Read(() => property.Name, path, source, "a key");
                    string at = path.Length == 0 ? name : $"{path}.{name}";
                    if (!seen.Add(name)) throw new InputError($"{source}: the key '{at}' is given twice; give it once");
                    Visit(property.Value, at, source);
                }
                break;
            case JsonValueKind.Array:
                int i = 0;
                foreach (var item in e.EnumerateArray()) Visit(item, $"{path}[{i++}]", source);
                break;
            case JsonValueKind.String:
                Read(e.GetString, path, source, "the text");
                break;
        }
    }

    static string Read(Func<string?> read, string path, string source, string what)
    {
        try { return read() ?? ""; }
        catch (InvalidOperationException)
        {
            string where = path.Length == 0 ? "" : $"{path}: ";
            throw new InputError($"{source}: {where}{what} holds a lone UTF-16 surrogate escape (such as \\ud800), which is no character");
        }
    }
}
