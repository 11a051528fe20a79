namespace NeuralFit.Persistence;

/// <summary>
/// Writes files whole or not at all: the content goes to a temporary file beside the target, is flushed to disk,
/// then renamed over it, and the folder is synced. A crash at any moment leaves the old file or the new one, never
/// a truncated one.
/// </summary>
public static class AtomicFile
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
        string full = FullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw new InputError($"cannot write '{path}': the folder '{dir}' does not exist");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TemporarySuffix}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            Posix.SyncFolder(dir); // the rename itself, durable
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new InputError($"cannot write '{path}': {e.Message}");
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    /// <summary>Fails early, before a long run, if the file could not be written at the end.</summary>
    public static void CheckWritable(string path)
    {
        string full = FullPath(path);
        string dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir)) throw new InputError($"cannot write '{path}': the folder '{dir}' does not exist");
        if (Directory.Exists(full)) throw new InputError($"cannot write '{path}': it is a folder");
        string probe = Path.Combine(dir, $".neuralfit-probe-{Guid.NewGuid():N}");
        try { using (File.Create(probe)) { } File.Delete(probe); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot write '{path}': no file can be created in '{dir}'{(e is UnauthorizedAccessException ? " (permission denied)" : "")}");
        }
    }

    /// <summary>The absolute path, or an <see cref="InputError"/> for text that is no path at all ("", a NUL character).</summary>
    static string FullPath(string path)
    {
        try { return string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("empty") : Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"cannot write '{path}': not a valid file path");
        }
    }

    /// <summary>
    /// Removes temporary files left in <paramref name="dir"/> by writes that a crash or kill -9 cut short: those of
    /// processes no longer running. A live process's temporary file is its write in progress, and is left alone.
    /// </summary>
    public static void RemoveAbandonedTemporaries(string dir)
    {
        foreach (var path in Directory.EnumerateFiles(dir, "." + "*" + TemporarySuffix))
        {
            var parts = Path.GetFileName(path).Split('.');
            // "", name parts..., pid, guid, "tmp"
            if (parts.Length < 5 || !int.TryParse(parts[^3], out int pid) || IsRunning(pid)) continue;
            TryDelete(path);
        }
    }

    static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
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
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
