using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using NeuralFit.Files;

namespace NeuralFit.Persistence;

/// <summary>
/// Finished runs kept while a long command (doctor, seed) goes on, so that one stopped by a signal can be run again
/// without training them again. Keys name a run completely; <see cref="Keep"/> may be called from several threads
/// and writes each run as it finishes.
/// </summary>
internal interface IRunJournal<T>
{
    bool TryRecall(string key, out T value);
    void Keep(string key, T value);
}

/// <summary>
/// A journal of finished runs: one JSON line per run, {"key": …, "value": …}, appended and flushed as each run
/// finishes, so a command stopped by a signal (or killed) leaves every finished run behind, and a rerun reads them
/// back instead of training them again. A line cut short by a kill at the moment of writing is skipped on reading
/// (that run is simply trained again); so is a line that does not parse. The file is removed by <see cref="Complete"/>
/// once the command has written its results: it only ever holds the work of a command that did not finish.
/// (Unlike results, it is appended to rather than replaced whole: a run's line is written once, when it finishes.)
/// </summary>
internal sealed class JsonLinesJournal<T> : IRunJournal<T>
{
    readonly string _path;
    readonly Func<T, JsonNode> _write;
    readonly Func<JsonObject, T> _read;
    readonly Dictionary<string, T> _runs = [];
    readonly Lock _gate = new();

    public JsonLinesJournal(string path, Func<T, JsonNode> write, Func<JsonObject, T> read)
    {
        (_path, _write, _read) = (path, write, read);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path)) Load();
    }

    public string FilePath => _path;

    /// <summary>Runs read back from an earlier, interrupted command.</summary>
    public int Recalled { get; private set; }

    public int Count
    {
        get { lock (_gate) return _runs.Count; }
    }

    public bool TryRecall(string key, out T value)
    {
        lock (_gate) return _runs.TryGetValue(key, out value!);
    }

    /// <summary>Why runs stopped being written (a full disk, say), or null: the command goes on without them.</summary>
    public string? WriteFailure { get; private set; }

    public void Keep(string key, T value)
    {
        var line = new JsonObject { ["key"] = key, ["value"] = _write(value) }.ToJsonString() + "\n";
        lock (_gate)
        {
            _runs[key] = value;
            if (WriteFailure is not null) return;
            try
            {
                // only ever a regular file: a link or device put there would make the append land elsewhere
                if (Posix.LinkKind(_path) is not (FileKind.Missing or FileKind.Regular)) throw new IOException($"'{_path}' is not a regular file");
                using var stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
                stream.Write(Encoding.UTF8.GetBytes(line));
                stream.Flush(); // to the system, which keeps it through a signal or a kill; a power cut may lose the last runs
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                WriteFailure = e.Message;
            }
        }
    }

    /// <summary>The command finished and wrote its results: the journal has served its purpose.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            try { File.Delete(_path); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a journal left behind is only read by a rerun
        }
    }

    /// <summary>Most bytes of a journal read back: thousands of runs of a few KB each, many times over.</summary>
    const long MaxFileBytes = 256L << 20;

    void Load()
    {
        if (Posix.LinkKind(_path) != FileKind.Regular) return; // a link, FIFO or device there is no journal of NeuralFit's
        string text;
        try { text = new InputFile("journal", "a journal", MaxFileBytes).ReadAllText(_path); }
        catch (InputError) { return; } // unreadable or oversized: the runs are trained again
        foreach (var line in text.Split('\n'))
        {
            try
            {
                if (JsonNode.Parse(line) is not JsonObject o || o["key"]?.GetValue<string>() is not string key || o["value"] is not JsonObject value) continue;
                _runs[key] = _read(value);
                Recalled++;
            }
            catch (Exception) // a cut or foreign line, whatever it breaks in the reader: its run is trained again
            {
            }
        }
    }
}
