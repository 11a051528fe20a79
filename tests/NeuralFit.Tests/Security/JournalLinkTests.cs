using System.Text.Json.Nodes;
using NeuralFit.Persistence;

namespace NeuralFit.Tests.Security;

/// <summary>A journal is only ever a regular file: a link put in its place is neither appended through nor read.</summary>
public class JournalLinkTests
{
    [Fact]
    public void AJournalReplacedByALinkIsNeitherWrittenThroughNorRead()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = Directory.CreateTempSubdirectory("nf-journal-").FullName, precious = Path.Combine(dir, "precious.txt"), path = Path.Combine(dir, "seed.jsonl");
        File.WriteAllText(precious, "{\"key\": \"a\", \"value\": {\"n\": 1}}\n");
        File.CreateSymbolicLink(path, precious);
        var journal = new JsonLinesJournal<int>(path, n => JsonValue.Create(n), o => o["n"]!.GetValue<int>());
        Assert.Equal(0, journal.Recalled); // the link's target is not read as a journal
        journal.Keep("b", 2);
        Assert.NotNull(journal.WriteFailure);
        Assert.Equal("{\"key\": \"a\", \"value\": {\"n\": 1}}\n", File.ReadAllText(precious));
    }
}
