using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
using NeuralFit.Files;
using NeuralFit.Persistence;

namespace NeuralFit.Cli;

/// <summary>
/// Where doctor and seed keep their finished runs while they work (<see cref="JsonLinesJournal{T}"/>): --journal DIR,
/// else $XDG_CACHE_HOME/neuralfit, else ~/.cache/neuralfit. One file per command and question asked, named by a hash
/// of both and of this build (another build may train differently, so it starts afresh); removed once the command
/// has written its results.
/// </summary>
sealed class Journals
{
    readonly Option<string> _folder = new("--journal")
    {
        Description = "keep each finished run in this folder while the command works, so that one stopped by Ctrl+C goes on from them when run again (default: ~/.cache/neuralfit; removed when the command finishes)",
        HelpName = "dir",
    };

    public void AddTo(Command command) => command.Options.Add(_folder);

    /// <summary>
    /// The journal for this command and question. A folder given with --journal that cannot hold it is bad input; when
    /// the default folder cannot (no home, a read-only one), the temporary folder is tried, and failing that the command
    /// runs without a journal, as before journals existed, saying so once.
    /// </summary>
    public JsonLinesJournal<T>? Open<T>(ParseResult parse, string command, string question, Func<T, System.Text.Json.Nodes.JsonNode> write,
        Func<System.Text.Json.Nodes.JsonObject, T> read)
    {
        string build = typeof(Journals).Assembly.ManifestModule.ModuleVersionId.ToString() + typeof(Diagnostics.Doctor).Assembly.ManifestModule.ModuleVersionId;
        string name = $"{command}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(question + "|" + build)))[..16].ToLowerInvariant()}.jsonl";
        if (parse.GetValue(_folder) is string given)
            return TryOpen(given, name, write, read, mustOwn: false, out var failure) ?? throw new InputError($"--journal: cannot keep runs in '{given}': {failure}");
        foreach (var folder in new[] { DefaultFolder(), Path.Combine(Path.GetTempPath(), "neuralfit") })
            if (TryOpen(folder, name, write, read, mustOwn: true, out _) is { } journal) return journal;
        Console.Error.WriteLine($"neuralfit: note: no folder could keep the finished runs ({DefaultFolder()}); an interrupted {command} will start over");
        return null;
    }

    static JsonLinesJournal<T>? TryOpen<T>(string folder, string name, Func<T, System.Text.Json.Nodes.JsonNode> write,
        Func<System.Text.Json.Nodes.JsonObject, T> read, bool mustOwn, out string? failure)
    {
        failure = null;
        try
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("no folder given");
            string path = Path.Combine(Path.GetFullPath(folder), name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            // the fallback folder in /tmp is shared: one another user made first (who could plant links in it) is not ours
            if (mustOwn && !Posix.IsOwnedByMe(Path.GetDirectoryName(path)!)) throw new IOException($"the folder '{Path.GetDirectoryName(path)}' belongs to another user");
            var journal = new JsonLinesJournal<T>(path, write, read);
            string probe = Path.Combine(Path.GetDirectoryName(path)!, $".neuralfit-probe-{Guid.NewGuid():N}"); // writable, before any run
            using (File.Create(probe)) { }
            File.Delete(probe);
            return journal;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            failure = e.Message;
            return null;
        }
    }

    static string DefaultFolder()
    {
        string? cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            cache = string.IsNullOrEmpty(home) ? Path.GetTempPath() : Path.Combine(home, ".cache");
        }
        return Path.Combine(cache, "neuralfit");
    }
}
