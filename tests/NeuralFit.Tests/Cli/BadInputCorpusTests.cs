using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Tests.Checkpoints;
using NeuralFit.Tests.Security;

namespace NeuralFit.Tests.Cli;

/// <summary>
/// Runs every case of the bad-input corpus (BadInputs/*.json) through the real command. Each case gives the
/// arguments, the files to lay out first in an empty working folder, and fragments the one error line must hold.
/// Each must end with exit code 2, exactly one line on stderr, no stack trace, and no file left behind: the folder
/// holds afterwards exactly what it held before.
/// </summary>
/// <remarks>
/// Text in a case (an argument or a file's content) is a string, a list of texts (joined), or
/// <c>{"repeat": text, "times": n}</c>; large files are written in chunks and never held in memory.
/// <c>"links"</c> maps symbolic links to what they point to; <c>"fifos"</c> lists FIFOs (named pipes) to make, which no process writes to or reads from.
/// A file may also be <c>{"sparse": bytes, "start": text}</c> (a file of that length, holes after the text), or
/// <c>{"checkpoint": {...}}</c>: a real checkpoint of a small run, then edited by <c>"truncate"</c> (a fraction of its
/// bytes kept), <c>"replace"</c> (regex, replacement pairs) or <c>"nanWeights": true</c>.
/// </remarks>
public class BadInputCorpusTests
{
    static string CorpusFolder => Path.Combine(AppContext.BaseDirectory, "BadInputs");

    public static TheoryData<string> Cases() =>
        new(Directory.GetFiles(CorpusFolder, "*.json").Order().Select(p => Path.GetFileNameWithoutExtension(p)!));

    [Theory, MemberData(nameof(Cases))]
    public void IsRefusedWithOneCleanLine(string name) => Check(name);

    [Fact]
    public void TheCorpusHasAtLeastFortyCasesOfEveryKind()
    {
        var names = Directory.GetFiles(CorpusFolder, "*.json").Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.True(names.Count >= 40, $"{names.Count} cases");
        foreach (var kind in new[] { "expression", "domain", "config", "csv", "model", "checkpoint", "output", "sweep" })
            Assert.Contains(names, n => n!.StartsWith(kind + "-"));
    }

    static void Check(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(CorpusFolder, name + ".json")));
        var c = doc.RootElement;

        string dir = Directory.CreateTempSubdirectory($"nf-bad-{name}-").FullName;
        try
        {
            if (c.TryGetProperty("folders", out var folders))
                foreach (var f in folders.EnumerateArray()) Directory.CreateDirectory(Path.Combine(dir, f.GetString()!));
            if (c.TryGetProperty("files", out var files))
                foreach (var f in files.EnumerateObject()) WriteFile(Path.Combine(dir, f.Name), f.Value);
            if (c.TryGetProperty("links", out var links))
            {
                if (OperatingSystem.IsWindows()) return; // symbolic links need privileges there
                foreach (var l in links.EnumerateObject()) File.CreateSymbolicLink(Path.Combine(dir, l.Name), l.Value.GetString()!);
            }
            if (c.TryGetProperty("fifos", out var fifos))
            {
                if (OperatingSystem.IsWindows()) return; // POSIX FIFOs
                foreach (var f in fifos.EnumerateArray()) SpecialFiles.MakeFifo(Path.Combine(dir, f.GetString()!));
            }
            var before = Listing(dir);

            var args = c.GetProperty("args").EnumerateArray().Select(Text).ToArray();
            var outcome = CliRunner.RunIn(dir, args);

            CliRunner.AssertCleanError(outcome, "");
            foreach (var fragment in Expected(c)) Assert.Contains(fragment, outcome.Stderr, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, Listing(dir));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static IEnumerable<string> Expected(JsonElement c) => c.GetProperty("expect") is { ValueKind: JsonValueKind.Array } list
        ? list.EnumerateArray().Select(e => e.GetString()!)
        : [c.GetProperty("expect").GetString()!];

    /// <summary>Every entry with its size (a link's own), so that a file replaced through a link shows.</summary>
    static string[] Listing(string dir) =>
        Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Select(p => Path.GetRelativePath(dir, p) + (File.Exists(p) ? $" {new FileInfo(p).Length}" : "/")).Order().ToArray();

    static string Text(JsonElement e)
    {
        var s = new StringBuilder();
        AppendText(e, chunk => s.Append(chunk));
        return s.ToString();
    }

    static void AppendText(JsonElement e, Action<string> write)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.String: write(e.GetString()!); break;
            case JsonValueKind.Array: foreach (var part in e.EnumerateArray()) AppendText(part, write); break;
            default:
                string unit = Text(e.GetProperty("repeat"));
                long times = e.GetProperty("times").GetInt64();
                int perChunk = Math.Max(1, 1 << 16 / Math.Max(1, unit.Length));
                string chunk = string.Concat(Enumerable.Repeat(unit, perChunk));
                for (long done = 0; done < times; done += perChunk) write(times - done >= perChunk ? chunk : string.Concat(Enumerable.Repeat(unit, (int)(times - done))));
                break;
        }
    }

    static void WriteFile(string path, JsonElement spec)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("sparse", out var length))
        {
            using var stream = File.Create(path);
            var start = Encoding.UTF8.GetBytes(Text(spec.GetProperty("start")));
            stream.Write(start);
            stream.SetLength(length.GetInt64());
            return;
        }
        if (spec.ValueKind == JsonValueKind.Object && spec.TryGetProperty("checkpoint", out var edits))
        {
            File.WriteAllBytes(path, EditedCheckpoint(edits));
            return;
        }
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        AppendText(spec, writer.Write);
    }

    static readonly Lazy<byte[]> ValidCheckpoint = new(() =>
    {
        string folder = CheckpointRuns.NewFolder();
        CheckpointRuns.RunUntil(CheckpointRuns.Small(), folder, stopAt: 100);
        return File.ReadAllBytes(CheckpointFolder.CheckpointPath(folder));
    });

    static byte[] EditedCheckpoint(JsonElement edits)
    {
        var bytes = ValidCheckpoint.Value;
        if (edits.TryGetProperty("truncate", out var keep)) return bytes[..(int)(bytes.Length * keep.GetDouble())];
        string text = Encoding.UTF8.GetString(bytes);
        if (edits.TryGetProperty("replace", out var pairs))
            foreach (var pair in pairs.EnumerateArray())
                text = new Regex(pair[0].GetString()!).Replace(text, pair[1].GetString()!, 1);
        if (edits.TryGetProperty("nanWeights", out _))
            text = new Regex("\"parameters\": \"([^\"]*)\"").Replace(text, m =>
            {
                var values = Convert.FromBase64String(m.Groups[1].Value);
                BitConverter.TryWriteBytes(values.AsSpan(4 * 5), float.NaN); // the sixth weight
                return $"\"parameters\": \"{Convert.ToBase64String(values)}\"";
            }, 1);
        return Encoding.UTF8.GetBytes(text);
    }
}
