using System.Reflection;
using System.Reflection.Emit;

namespace NeuralFit.Tests.Architecture;

/// <summary>
/// Every type each type of an assembly refers to, read from the compiled assembly: base types, interfaces, fields,
/// properties, signatures, generic constraints, attributes, locals, and every type, method and field token in the
/// method bodies (so a reference written in a method, or through a fully qualified name, is seen as well as a using).
/// </summary>
static class TypeReferences
{
    const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>(from, to) for every type of the assembly and every type it refers to.</summary>
    public static IEnumerable<(Type From, Type To)> Of(Assembly assembly) =>
        assembly.GetTypes().SelectMany(type => Referenced(type).SelectMany(Flatten).Distinct().Select(to => (type, to)));

    static IEnumerable<Type> Referenced(Type type)
    {
        if (type.BaseType is { } b) yield return b;
        foreach (var i in type.GetInterfaces()) yield return i;
        foreach (var a in type.GetCustomAttributesData()) yield return a.AttributeType;
        if (type.IsGenericTypeDefinition)
            foreach (var g in type.GetGenericArguments()) foreach (var c in g.GetGenericParameterConstraints()) yield return c;
        foreach (var f in type.GetFields(Declared)) yield return f.FieldType;
        foreach (var p in type.GetProperties(Declared)) yield return p.PropertyType;
        foreach (var m in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (m is MethodInfo method)
            {
                yield return method.ReturnType;
                if (method.IsGenericMethodDefinition)
                    foreach (var g in method.GetGenericArguments()) foreach (var c in g.GetGenericParameterConstraints()) yield return c;
            }
            foreach (var p in m.GetParameters()) yield return p.ParameterType;
            foreach (var t in InBody(m)) yield return t;
        }
    }

    static IEnumerable<Type> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null) yield break;
        foreach (var local in body.LocalVariables) yield return local.LocalType;
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            var op = OpCodesByValue[il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i]];
            i += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineType or OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments);
                    if (member is Type t) yield return t;
                    if (member?.DeclaringType is { } owner) yield return owner;
                    if (member is MethodInfo called)
                    {
                        yield return called.ReturnType;
                        if (called.IsGenericMethod) foreach (var g in called.GetGenericArguments()) yield return g;
                    }
                    if (member is FieldInfo field) yield return field.FieldType;
                    i += 4;
                    break;
                case OperandType.InlineSwitch: i += 4 + 4 * BitConverter.ToInt32(il, i); break;
                case OperandType.InlineI8 or OperandType.InlineR: i += 8; break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: i += 1; break;
                case OperandType.InlineVar: i += 2; break;
                case OperandType.InlineNone: break;
                default: i += 4; break; // InlineI, InlineBrTarget, InlineString, InlineSig
            }
        }
    }

    /// <summary>A type and the types it is built from: element types (arrays, spans' refs) and generic arguments.</summary>
    static IEnumerable<Type> Flatten(Type t)
    {
        if (t.HasElementType)
        {
            foreach (var e in Flatten(t.GetElementType()!)) yield return e;
            yield break;
        }
        if (t.IsGenericParameter) yield break;
        if (!t.IsGenericType)
        {
            yield return t;
            yield break;
        }
        yield return t.GetGenericTypeDefinition();
        foreach (var a in t.GetGenericArguments())
            foreach (var e in Flatten(a)) yield return e;
    }
}
