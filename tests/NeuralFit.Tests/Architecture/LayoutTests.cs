using NeuralFit.Tests.Packaging;

namespace NeuralFit.Tests.Architecture;

/// <summary>The README's layout paragraph and docs/architecture.md name every folder of the library, so the map stays true.</summary>
public class LayoutTests
{
    static IEnumerable<string> LibraryFolders()
    {
        string src = Path.Combine(Repository.Root, "src", "NeuralFit");
        return Directory.EnumerateDirectories(src, "*", SearchOption.AllDirectories)
            .Select(d => Path.GetRelativePath(src, d).Replace('\\', '/'))
            .Where(d => !d.Split('/').Any(part => part is "bin" or "obj"));
    }

    [Fact]
    public void TheReadmesLayoutNamesEveryFolder()
    {
        string readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));
        string layout = readme[readme.IndexOf("## Layout", StringComparison.Ordinal)..readme.IndexOf("## Glossary", StringComparison.Ordinal)];
        Assert.Contains("docs/architecture.md", layout);
        var missing = LibraryFolders().Where(d => !layout.Contains($"{d.Split('/')[^1]}/`", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "the README's layout does not name: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheArchitecturePageNamesEveryFolder()
    {
        string page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));
        var missing = LibraryFolders().Where(d => !page.Contains($"{d.Split('/')[^1]}/", StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "docs/architecture.md does not name: " + string.Join(", ", missing));
    }
}
