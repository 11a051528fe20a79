using System.Text.RegularExpressions;
using NeuralFit.Files;

namespace NeuralFit.Persistence;

/// <summary>
/// Writes files whole or not at all: the content goes to a temporary file beside the target, is flushed to disk,
/// then renamed over it, and the folder is synced. A crash at any moment leaves the old file or the new one, never
/// a truncated one. Only a regular file, a symbolic link or nothing is ever replaced: a character device (/dev/null)
/// or a FIFO, even one reached through a link (/dev/stdout), is written to directly, as a shell's redirection would,
/// and anything else (a socket, a block device, a folder) is refused. A symbolic link to a regular file is replaced
/// by the new file, and what it pointed to is left as it was: NeuralFit never follows a link to choose what to
/// replace, so a link planted in a shared folder (/tmp) cannot turn a write into the replacement of another file.
/// </summary>
internal static partial class AtomicFile
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
        CheckReplaceable(path, kind); // what it is, through any link: a link to a folder is no file to replace either
        CheckReplaceable(path, Posix.LinkKind(target));
        string dir = Path.GetDirectoryName(target) ?? ".";
        if (!Directory.Exists(dir)) throw new InputError($"cannot write '{path}': the folder '{dir}' does not exist");
        RemoveAbandonedTemporaries(dir, Path.GetFileName(target));
        string temp = Path.Combine(dir, $".{TemporaryStem(Path.GetFileName(target))}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        var pending = new Pending(path, target, temp, null);
        try
        {
            using var stream = CreateTemporary(temp);
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

    static readonly Lock Starting = new();
    static bool _abandoned;

    /// <summary>A write's temporary file, made and listed in <see cref="InProgress"/> as one step that
    /// <see cref="AbandonWrites"/> comes wholly before or after.</summary>
    static FileStream CreateTemporary(string temp)
    {
        lock (Starting)
        {
            if (!_abandoned)
            {
                InProgress.TryAdd(temp, 0);
                return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            }
        }
        Thread.Sleep(Timeout.Infinite); // the process is ending (AbandonWrites): this write never starts, and never returns
        throw new System.Diagnostics.UnreachableException();
    }

    /// <summary>
    /// For a process that is ending without its outputs (a signal): removes the temporary files of the writes under
    /// way, whoever is writing them, and starts no other. A signal that came while a file was being staged once left
    /// its temporary file behind: it was not yet among the command's outputs to remove.
    /// </summary>
    public static void AbandonWrites()
    {
        lock (Starting)
        {
            _abandoned = true;
            foreach (var temp in InProgress.Keys) TryDelete(temp);
        }
    }

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
        if (kind is FileKind.CharacterDevice or FileKind.Fifo) return; // written directly, when the time comes
        CheckReplaceable(path, kind);
        CheckReplaceable(path, Posix.LinkKind(target));
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

    /// <summary>The absolute path a write goes to, or an <see cref="InputError"/> for text that is no path at all ("", a NUL
    /// character) or a file name longer than a folder can hold.</summary>
    public static string Target(string path)
    {
        string full;
        try { full = string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("empty") : Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"cannot write '{path}': not a valid file path");
        }
        if (System.Text.Encoding.UTF8.GetByteCount(Path.GetFileName(full)) > MaxNameBytes)
            throw new InputError($"cannot write '{path}': a file name is at most {MaxNameBytes} bytes");
        return full;
    }

    /// <summary>NAME_MAX of Linux and macOS file systems.</summary>
    const int MaxNameBytes = 255;

    /// <summary>
    /// The start of a temporary file's name: the file's own name, shortened for a long one (a 230-character name would
    /// leave no room for the process id and guid within a file system's 255 bytes) to its first 100 characters and a
    /// hash of the rest, so every name still has its own.
    /// </summary>
    internal static string TemporaryStem(string fileName)
    {
        if (fileName.Length <= 150) return fileName;
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(fileName));
        return $"{fileName[..100]}~{Convert.ToHexStringLower(hash)[..16]}";
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
        string stem = TemporaryStem(fileName);
        try { candidates = Directory.EnumerateFileSystemEntries(dir, $".{stem}.*{TemporarySuffix}").ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        foreach (var path in candidates)
        {
            string name = Path.GetFileName(path);
            if (!name.StartsWith($".{stem}.", StringComparison.Ordinal)) continue;
            var match = WriterSuffix().Match(name[(stem.Length + 1)..]);
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
