using System.Text.RegularExpressions;

namespace NeuralFit.Persistence;

/// <summary>
/// Writes files whole or not at all: the content goes to a temporary file beside the target, is flushed to disk,
/// then renamed over it, and the folder is synced. A crash at any moment leaves the old file or the new one, never
/// a truncated one. Only a regular file (or nothing) is ever replaced: a character device (/dev/null) or a FIFO is
/// written to directly, as a shell's redirection would, and anything else (a socket, a block device) is refused. A
/// symbolic link is followed, and the file it names is replaced, not the link.
/// </summary>
public static partial class AtomicFile
{
    /// <summary>Temporary files are named ".{file}.{process id}.{guid}.tmp", beside the file they will become.</summary>
    public const string TemporarySuffix = ".tmp";

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    public static void Write(string path, Action<Stream> write)
    {
        using var pending = Begin(path, write);
        pending.Commit();
    }

    /// <summary>
    /// The first half of a write: the content is in a temporary file beside the target, flushed to disk, and only
    /// <see cref="Pending.Commit"/> puts it in place (disposing uncommitted removes it). A command that writes
    /// several files prepares them all first, so that one that fails leaves none of them written. A device or FIFO
    /// has no temporary file: its content is written at the commit.
    /// </summary>
    public static Pending Begin(string path, Action<Stream> write)
    {
        string target = Target(path);
        var kind = Posix.Kind(target);
        if (kind is FileKind.CharacterDevice or FileKind.Fifo) return new Pending(path, target, null, () => WriteDirectly(path, target, kind, write));
        CheckReplaceable(path, kind);
        string dir = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(dir)) throw new InputError($"cannot write '{path}': the folder '{dir}' does not exist");
        RemoveAbandonedTemporaries(dir, Path.GetFileName(target));
        string temp = Path.Combine(dir, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        InProgress.TryAdd(temp, 0);
        var pending = new Pending(path, target, temp, null);
        try
        {
            using var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e)
        {
            pending.Dispose();
            throw e is IOException or UnauthorizedAccessException ? new InputError($"cannot write '{path}': {e.Message}") : e;
        }
        return pending;
    }

    /// <summary>A write whose content is ready: <see cref="Commit"/> puts it in place; disposing without removes it.</summary>
    public sealed class Pending : IDisposable
    {
        readonly string _path, _target;
        string? _temp;
        Action? _direct;

        internal Pending(string path, string target, string? temp, Action? direct) => (_path, _target, _temp, _direct) = (path, target, temp, direct);

        /// <summary>Written straight to a device or FIFO at the commit: such a write can still fail then.</summary>
        public bool IsDirect => _direct is not null;

        public void Commit()
        {
            if (_direct is { } direct)
            {
                _direct = null;
                direct();
                return;
            }
            if (_temp is not { } temp) return;
            try
            {
                // Checked again at the last moment: whatever the path has become meanwhile, only a regular file is replaced.
                CheckReplaceable(_path, Posix.LinkKind(_target));
                File.Move(temp, _target, overwrite: true);
                _temp = null;
                InProgress.TryRemove(temp, out _);
                Posix.SyncFolder(Path.GetDirectoryName(_target) ?? "."); // the rename itself, durable
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputError($"cannot write '{_path}': {e.Message}");
            }
            finally { Dispose(); }
        }

        public void Dispose()
        {
            _direct = null;
            if (_temp is not { } temp) return;
            TryDelete(temp);
            InProgress.TryRemove(temp, out _);
            _temp = null;
        }
    }

    /// <summary>This process's writes in progress: a temporary file of its own process id that is not one of them was
    /// left by an earlier process that had the same id (in a container, ids start again from 1 at every start).</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> InProgress = new();

    /// <summary>A device or FIFO takes the bytes as they come: there is nothing to replace, and it must not be replaced.</summary>
    static void WriteDirectly(string path, string target, FileKind kind, Action<Stream> write)
    {
        try
        {
            using var stream = kind == FileKind.Fifo
                ? new FileStream(Posix.OpenFifo(target, write: true, out int errno)
                    ?? throw new InputError($"cannot write '{path}': {(errno == Posix.NoReader ? "it is a FIFO that no process reads from" : $"it cannot be opened (errno {errno})")}"),
                    FileAccess.Write, 1 << 16)
                : new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(stream);
            stream.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot write '{path}': {e.Message}");
        }
    }

    /// <summary>Fails early, before a long run, if the file could not be written at the end.</summary>
    public static void CheckWritable(string path)
    {
        string target = Target(path);
        var kind = Posix.Kind(target);
        CheckReplaceable(path, kind);
        if (kind is FileKind.CharacterDevice or FileKind.Fifo) return; // written directly, when the time comes
        string dir = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(dir)) throw new InputError($"cannot write '{path}': the folder '{dir}' does not exist");
        string probe = Path.Combine(dir, $".neuralfit-probe-{Guid.NewGuid():N}");
        try { using (File.Create(probe)) { } File.Delete(probe); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot write '{path}': no file can be created in '{dir}'{(e is UnauthorizedAccessException ? " (permission denied)" : "")}");
        }
    }

    static void CheckReplaceable(string path, FileKind kind)
    {
        string? what = kind switch
        {
            FileKind.Directory => "it is a folder",
            FileKind.Socket => "it is a socket",
            FileKind.BlockDevice => "it is a block device",
            FileKind.Other => "it is not a regular file",
            _ => null,
        };
        if (what is not null) throw new InputError($"cannot write '{path}': {what}");
    }

    /// <summary>
    /// The file a path will write: its absolute form with symbolic links followed to the end, so a link is kept and
    /// the file it names is written. An <see cref="InputError"/> for text that is no path at all ("", a NUL character).
    /// </summary>
    public static string Target(string path)
    {
        string full;
        try { full = string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("empty") : Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"cannot write '{path}': not a valid file path");
        }
        try { return Posix.LinkKind(full) == FileKind.SymbolicLink && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } final ? final.FullName : full; }
        catch (IOException e) { throw new InputError($"cannot write '{path}': {e.Message}"); } // a loop of links
    }

    /// <summary>
    /// Removes the temporary files that writes of <paramref name="fileName"/> in <paramref name="dir"/> left when a crash
    /// or kill -9 cut them short: exactly the names this class gives them, of processes no longer running. Nothing
    /// else is touched: a file of another name is not NeuralFit's, and a live process's temporary file is its write in
    /// progress.
    /// </summary>
    public static void RemoveAbandonedTemporaries(string dir, string fileName)
    {
        IEnumerable<string> candidates;
        // files, and folders: a staged folder's temporary copy (see StagedFolder) is named the same way
        try { candidates = Directory.EnumerateFileSystemEntries(dir, $".{fileName}.*{TemporarySuffix}").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var path in candidates)
        {
            string name = Path.GetFileName(path);
            if (!name.StartsWith($".{fileName}.", StringComparison.Ordinal)) continue;
            var match = WriterSuffix().Match(name[(fileName.Length + 1)..]);
            if (!match.Success || !int.TryParse(match.Groups[1].ValueSpan, out int pid)) continue;
            if (pid == Environment.ProcessId ? InProgress.ContainsKey(path) : IsRunning(pid)) continue;
            TryDelete(path);
        }
    }

    /// <summary>".{pid}.{guid as 32 hex digits}.tmp": what follows the file name in a temporary file's name.</summary>
    [GeneratedRegex(@"^\.([0-9]{1,10})\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex WriterSuffix();

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    static void TryDelete(string path)
    {
        try
        {
            if (Posix.LinkKind(path) == FileKind.Directory) Directory.Delete(path, recursive: true);
            else File.Delete(path);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
