using System.Globalization;
using System.Text;

namespace NeuralFit.Persistence;

/// <summary>
/// What the C# exporter writes that comes from outside: names checked against C#'s rules, and text escaped so that
/// it stays inside the comment it is written in. A model file is input like any other: its input names and target
/// must not be able to add code to the class generated from it.
/// </summary>
internal static class CSharpNames
{
    /// <summary>C#'s reserved keywords (ECMA-334 §6.4.4, and Roslyn's undocumented four with two underscores).</summary>
    static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock", "long",
        "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected", "public",
        "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string", "struct", "switch",
        "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void",
        "volatile", "while", "__arglist", "__makeref", "__reftype", "__refvalue",
    ];

    /// <summary>Contextual keywords C# refuses or warns about as type names (record, var, dynamic, file, scoped, required…).</summary>
    static readonly HashSet<string> ReservedTypeNames = ["record", "var", "dynamic", "file", "scoped", "required", "field", "value", "nameof", "global"];

    /// <summary>The members of the generated class: a class of the same name would not compile (CS0542).</summary>
    static readonly HashSet<string> MemberNames = ["InputCount", "Predict", "Dense", "Activation", "Erfc", "InputShift", "InputScale", "TargetShift", "TargetScale"];

    /// <summary>
    /// A C# identifier, checked more strictly than C# does: it starts with a letter or '_' and goes on with letters,
    /// digits and '_' only, so no formatting character (a right-to-left override) can hide in it.
    /// </summary>
    public static bool IsIdentifier(string name) =>
        name.Length is > 0 and <= 512 && (IsLetter(name[0]) || name[0] == '_') && name.All(c => IsLetter(c) || c == '_' || char.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber);

    static bool IsLetter(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter
        or UnicodeCategory.TitlecaseLetter or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter or UnicodeCategory.LetterNumber;

    public static void CheckClassName(string name)
    {
        string? problem = Problem(name)
            ?? (ReservedTypeNames.Contains(name) ? "C# keeps it for itself" : null)
            ?? (MemberNames.Contains(name) || IsLayerArray(name) ? "the generated class has a member of that name (CS0542)" : null)
            ?? (name.All(char.IsAsciiLetterLower) ? "C# keeps names of lower-case letters only for keywords (warning CS8981); capitalise it" : null);
        if (problem is not null) throw new InputError($"--class-name '{Shown(name)}': not usable as the class's name: {problem}");
    }

    public static void CheckNamespace(string ns)
    {
        var parts = ns.Split('.');
        for (int i = 0; i < parts.Length; i++)
        {
            string? problem = parts[i].Length == 0 ? $"part {i + 1} is empty (two dots, or a dot at an end)"
                : Problem(parts[i]) is { } p ? $"'{Shown(parts[i])}' {p}"
                : i == 0 && parts[i] == "global" ? "'global' cannot start a namespace" : null;
            if (problem is not null) throw new InputError($"--namespace '{Shown(ns)}': not a C# namespace: {problem}");
        }
    }

    static string? Problem(string name) =>
        !IsIdentifier(name) ? "is not a C# identifier (a letter or '_', then letters, digits and '_')"
        : Keywords.Contains(name) ? "is a C# keyword" : null;

    /// <summary>W1, B2…: the layers' weight and bias arrays.</summary>
    static bool IsLayerArray(string name) => name.Length > 1 && name[0] is 'W' or 'B' && name[1..].All(char.IsAsciiDigit);

    /// <summary>"Model.cs" → "Model"; a stem that would not make a good class name gets "Model" added.</summary>
    public static string ClassNameFor(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        var name = new string(stem.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').ToArray());
        if (name.Length == 0 || char.IsAsciiDigit(name[0])) name = "Model" + name;
        name = char.ToUpperInvariant(name[0]) + name[1..];
        return Keywords.Contains(name) || ReservedTypeNames.Contains(name) || MemberNames.Contains(name) || IsLayerArray(name) || !IsIdentifier(name)
            ? name + "Model" : name;
    }

    /// <summary>
    /// The inputs' names as parameter names, one each: "x1" stays, "rate (1/s)" becomes "rate_1_s", a keyword gets '@',
    /// and names that come out alike are told apart ("a b" and "a_b": a_b, a_b_2).
    /// </summary>
    public static string[] Parameters(IReadOnlyList<string> inputNames)
    {
        var ids = inputNames.Select(Parameter).ToArray();
        var seen = new HashSet<string>();
        for (int i = 0; i < ids.Length; i++)
            while (!seen.Add(ids[i])) ids[i] += $"_{i + 1}";
        return ids;
    }

    static string Parameter(string name)
    {
        var id = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray()).Trim('_');
        if (id.Length == 0 || char.IsAsciiDigit(id[0])) id = "x_" + id;
        if (id.Length > 64) id = id[..64];
        return Keywords.Contains(id) ? "@" + id : id;
    }

    /// <summary>
    /// Text as it may stand in a // comment: every character that could end the line or hide what follows (line and
    /// paragraph separators, control and formatting characters, unpaired surrogates) is written as \uXXXX instead.
    /// </summary>
    public static string CommentText(string text)
    {
        var s = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            bool pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair) { s.Append(c).Append(text[++i]); continue; }
            bool safe = char.GetUnicodeCategory(c) is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned);
            if (safe) s.Append(c);
            else s.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
        }
        return s.ToString();
    }

    /// <summary>Comment text that is also XML text, for a documentation comment.</summary>
    public static string XmlText(string commentText) => commentText.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    /// <summary>A name as it may be shown in an error message (the message is one line).</summary>
    static string Shown(string name) => CommentText(name.Length > 80 ? name[..80] + "…" : name);
}
