using System.CommandLine;
using System.Security.Cryptography;
using System.Text;
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

    public JsonLinesJournal<T> Open<T>(ParseResult parse, string command, string question, Func<T, System.Text.Json.Nodes.JsonNode> write,
        Func<System.Text.Json.Nodes.JsonObject, T> read)
    {
        string folder = parse.GetValue(_folder) ?? DefaultFolder();
        string build = typeof(Journals).Assembly.ManifestModule.ModuleVersionId.ToString() + typeof(Diagnostics.Doctor).Assembly.ManifestModule.ModuleVersionId;
        string name = $"{command}-{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(question + "|" + build)))[..16].ToLowerInvariant()}.jsonl";
        try
        {
            if (string.IsNullOrWhiteSpace(folder)) throw new ArgumentException("no folder given");
            return new JsonLinesJournal<T>(Path.Combine(Path.GetFullPath(folder), name), write, read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputError($"--journal: cannot keep runs in '{folder}': {e.Message}");
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
