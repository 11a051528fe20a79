using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace NeuralFit.Tests.Persistence;

/// <summary>Compiles C# text with Roslyn against the running framework (and, when asked, NeuralFit), as a user's project would.</summary>
static class CSharpCompiler
{
    public static byte[] Compile(string assemblyName, OutputKind kind, IEnumerable<string> sources, params Assembly[] extraReferences)
    {
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll");
        var references = framework.Concat(extraReferences.Select(a => a.Location)).Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))),
            references,
            new CSharpCompilationOptions(kind, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        Assert.True(result.Success && problems.All(d => d.Severity != DiagnosticSeverity.Error),
            $"{assemblyName} does not compile:\n{string.Join("\n", problems.Take(10))}");
        return stream.ToArray();
    }

    /// <summary>Loads an assembly in a context of its own, so each test's generated class stands alone.</summary>
    public static Assembly Load(byte[] image) => new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(new MemoryStream(image));
}
