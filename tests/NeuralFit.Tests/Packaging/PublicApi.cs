using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace NeuralFit.Tests.Packaging;

/// <summary>
/// The public surface of an assembly as text, one line per type and per member, sorted: what a user of the package can
/// call. Kept in a file beside the test (as Sep keeps its public API), so that every change to it shows in a diff.
/// </summary>
static class PublicApi
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string Of(Assembly assembly)
    {
        var types = assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal).ToList();
        var s = new StringBuilder();
        s.AppendLine($"// {types.Count} public types");
        foreach (var t in types)
        {
            s.AppendLine(Header(t));
            foreach (var line in Members(t).Order(StringComparer.Ordinal)) s.AppendLine("    " + line);
        }
        return s.ToString().ReplaceLineEndings("\n");
    }

    static string Header(Type t)
    {
        string kind = t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? (IsRecord(t) ? "record struct" : "struct")
            : IsRecord(t) ? "record" : "class";
        string modifiers = t.IsEnum || t.IsInterface || t.IsValueType ? "" : t.IsAbstract && t.IsSealed ? "static " : t.IsAbstract ? "abstract " : t.IsSealed ? "sealed " : "";
        var bases = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum)) bases.Add(Name(b));
        if (!t.IsEnum) bases.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Where(i => !IsRecord(t) || !IsEquatableOfItself(t, i)).Select(i => Name(i)).Order(StringComparer.Ordinal));
        return $"{modifiers}{kind} {Name(t, full: true)}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}";
    }

    static bool IsRecord(Type t) => t.GetMethod("<Clone>$") is not null || (t.IsValueType && t.GetMethod("PrintMembers", Declared) is not null);

    static bool IsEquatableOfItself(Type t, Type i) => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEquatable<>) && i.GetGenericArguments()[0] == t;

    static IEnumerable<string> Members(Type t)
    {
        if (t.IsEnum)
        {
            foreach (var name in Enum.GetNames(t)) yield return name;
            yield break;
        }
        bool record = IsRecord(t);
        foreach (var m in t.GetMembers(Declared))
        {
            if (!Visible(m) || m.IsDefined(typeof(CompilerGeneratedAttribute)) && m is MethodInfo) continue;
            switch (m)
            {
                case ConstructorInfo c when !(record && c.GetParameters() is [var p] && p.ParameterType == t): // a record's copy constructor
                    yield return $"{(c.IsStatic ? "static " : "")}ctor({Parameters(c)})";
                    break;
                case MethodInfo me when !me.IsSpecialName && !(record && me.Name is "PrintMembers" or "<Clone>$" or "Equals" or "GetHashCode" or "ToString" or "Deconstruct" && me.DeclaringType == t && IsRecordPlumbing(me, t)):
                    yield return $"{(me.IsStatic ? "static " : me.IsAbstract && !t.IsInterface ? "abstract " : me.IsVirtual && !me.IsFinal && !t.IsInterface && me.GetBaseDefinition() == me ? "virtual " : "")}{Name(me.ReturnType)} {me.Name}{Generic(me)}({Parameters(me)})";
                    break;
                case MethodInfo me when me.IsSpecialName && me.Name.StartsWith("op_", StringComparison.Ordinal) && !(record && me.Name is "op_Equality" or "op_Inequality"):
                    yield return $"static {Name(me.ReturnType)} {me.Name}({Parameters(me)})";
                    break;
                case PropertyInfo p when !(record && p.Name == "EqualityContract"):
                    var accessors = new[] { p.GetMethod, p.SetMethod }.Where(a => a is not null && Visible(a))
                        .Select(a => a == p.GetMethod ? "get;" : a!.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? "init;" : "set;");
                    var index = p.GetIndexParameters();
                    yield return $"{(p.GetMethod?.IsStatic ?? p.SetMethod!.IsStatic ? "static " : "")}{Name(p.PropertyType)} {(index.Length > 0 ? $"this[{string.Join(", ", index.Select(i => $"{Name(i.ParameterType)} {i.Name}"))}]" : p.Name)} {{ {string.Join(" ", accessors)} }}";
                    break;
                case FieldInfo f when !f.IsSpecialName:
                    yield return $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{(f.IsInitOnly ? "readonly " : "")}{Name(f.FieldType)} {f.Name}{(f.IsLiteral ? " = " + Literal(f.GetRawConstantValue()) : "")}";
                    break;
                case EventInfo e:
                    yield return $"event {Name(e.EventHandlerType!)} {e.Name}";
                    break;
                case Type nested when nested.IsNestedPublic:
                    break; // listed as a type of its own
            }
        }
    }

    /// <summary>The equality, printing and deconstruction a record gets from the compiler, which say nothing of its own surface.</summary>
    static bool IsRecordPlumbing(MethodInfo m, Type t) => m.Name switch
    {
        "Equals" => m.GetParameters() is [var p] && (p.ParameterType == t || p.ParameterType == typeof(object) || p.ParameterType == t.BaseType),
        "GetHashCode" or "ToString" or "<Clone>$" => m.GetParameters().Length == 0,
        "PrintMembers" => true,
        "Deconstruct" => true,
        _ => false,
    };

    static bool Visible(MemberInfo m) => m switch
    {
        MethodBase b => b.IsPublic || b.IsFamily || b.IsFamilyOrAssembly,
        FieldInfo f => f.IsPublic || f.IsFamily || f.IsFamilyOrAssembly,
        PropertyInfo p => new[] { p.GetMethod, p.SetMethod }.Any(a => a is not null && Visible(a)),
        EventInfo e => e.AddMethod is { } add && Visible(add),
        Type => true,
        _ => false,
    };

    static string Literal(object? v) => v switch
    {
        null => "null",
        string s => $"\"{s}\"",
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => v.ToString() ?? "",
    };

    static string Generic(MethodInfo m) => m.IsGenericMethodDefinition ? $"<{string.Join(", ", m.GetGenericArguments().Select(a => a.Name))}>" : "";

    static string Parameters(MethodBase m) => string.Join(", ", m.GetParameters().Select(p =>
        $"{(p.IsDefined(typeof(ParamArrayAttribute)) || p.IsDefined(typeof(ParamCollectionAttribute)) ? "params " : "")}{(p.IsOut ? "out " : p.ParameterType.IsByRef ? (p.IsIn ? "in " : "ref ") : "")}" +
        $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue is null && p.ParameterType.IsValueType ? "default" : Literal(p.DefaultValue)) : "")}"));

    static string Name(Type t, bool full = false)
    {
        if (t.IsByRef) return Name(t.GetElementType()!);
        if (t.IsArray) return $"{Name(t.GetElementType()!)}[{new string(',', t.GetArrayRank() - 1)}]";
        if (t.IsGenericParameter) return t.Name;
        if (Nullable.GetUnderlyingType(t) is { } u) return Name(u) + "?";
        string name = t.IsNested ? $"{Name(t.DeclaringType!, full)}.{t.Name}" : full || t.Namespace is null ? t.FullName ?? t.Name : t.Name;
        if (!t.IsNested && !full && t.Namespace is { } ns && !ns.StartsWith("NeuralFit", StringComparison.Ordinal)) name = t.Name; // System types by short name
        if (!t.IsNested && !full && t.Namespace is { } own && own.StartsWith("NeuralFit", StringComparison.Ordinal)) name = $"{own}.{t.Name}";
        int tick = name.IndexOf('`');
        if (tick >= 0) name = name[..tick];
        if (t.IsGenericType)
        {
            var args = t.GetGenericArguments();
            if (t.IsNested) args = args.Skip(t.DeclaringType!.GetGenericArguments().Length).ToArray();
            if (args.Length > 0) name += $"<{string.Join(", ", args.Select(a => Name(a)))}>";
        }
        return name;
    }
}
