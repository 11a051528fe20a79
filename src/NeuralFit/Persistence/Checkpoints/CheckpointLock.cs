using System.Text;
using Microsoft.Win32.SafeHandles;
using NeuralFit.Files;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// An exclusive lock on a checkpoint folder, held while a run writes there, so that two runs (two fits, two
/// resumes, two runs of a sweep) never write the same folder. The lock is <c>.neuralfit.lock</c> in the folder,
/// holding the process id, locked with flock(2): the kernel drops the lock when the process ends, however it ends,
/// so a lock left by a killed run is stale and taken over, never obeyed. Released, the file is removed.
/// </summary>
internal sealed class CheckpointLock : IDisposable
{
    public const string FileName = ".neuralfit.lock";

    readonly string _path;
    SafeFileHandle? _handle;
    FileStream? _windowsStream;

    CheckpointLock(string path) => _path = path;

    /// <summary>Takes the folder's lock, or refuses with the process that holds it.</summary>
    /// <param name="flag">The option that named the folder, for the message.</param>
    public static CheckpointLock Acquire(string folder, string flag)
    {
        var held = new CheckpointLock(Path.Combine(Path.GetFullPath(folder), FileName));
        held.Take(folder, flag);
        return held;
    }

    void Take(string folder, string flag)
    {
        if (!Posix.Available)
        {
            try { _windowsStream = new FileStream(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose); }
            catch (IOException) { throw InUse(folder, flag, null); }
            return;
        }
        // The last holder removes the file while it still holds the lock: a process that opened the old file just
        // before then gets a lock on a file no longer in the folder. So the lock counts only once the file at the
        // path is seen to hold this process's own token.
        string token = $"{Environment.ProcessId}\n{Guid.NewGuid():N}\n";
        for (int attempt = 0; attempt < 10; attempt++)
        {
            var handle = Posix.OpenLockFile(_path, create: true)
                ?? throw new InputError(Posix.LinkKind(_path) is FileKind.Regular or FileKind.Missing
                    ? $"{flag}: cannot create the lock file '{_path}' in '{folder}'"
                    : $"{flag}: '{_path}' is not a regular file; a checkpoint folder holds NeuralFit's files only");
            if (!Posix.TryLock(handle))
            {
                handle.Dispose();
                throw InUse(folder, flag, Holder());
            }
            RandomAccess.SetLength(handle, 0);
            RandomAccess.Write(handle, Encoding.UTF8.GetBytes(token), 0);
            if (Read(_path) == token)
            {
                _handle = handle;
                return;
            }
            handle.Dispose();
        }
        throw InUse(folder, flag, Holder());
    }

    static InputError InUse(string folder, string flag, string? holder) =>
        new($"{flag}: '{folder}' is in use by another run{(holder is null ? "" : $" (process {holder})")}; wait for it to finish, or give another folder");

    /// <summary>The process id written in the lock file, if it can be read.</summary>
    string? Holder() => Read(_path)?.Split('\n')[0] is { Length: > 0 and <= 10 } pid && pid.All(char.IsAsciiDigit) ? pid : null;

    /// <summary>The lock file's text, read without locking it (as a FileStream would try to).</summary>
    static string? Read(string path)
    {
        using var handle = Posix.OpenLockFile(path, create: false);
        if (handle is null) return null;
        var bytes = new byte[128];
        int n = RandomAccess.Read(handle, bytes, 0);
        return Encoding.UTF8.GetString(bytes, 0, n);
    }

    /// <summary>Removes the lock file, then lets the lock go.</summary>
    public void Dispose()
    {
        if (_handle is { } handle)
        {
            try { File.Delete(_path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            handle.Dispose();
            _handle = null;
        }
        _windowsStream?.Dispose();
        _windowsStream = null;
    }
}
