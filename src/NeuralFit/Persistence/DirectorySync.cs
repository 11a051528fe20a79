using System.Runtime.InteropServices;

namespace NeuralFit.Persistence;

/// <summary>
/// fsync of a folder after a file was renamed into it. POSIX makes a rename durable only once its folder is synced:
/// without it a power cut soon after may lose the new name (a crash of NeuralFit alone cannot). .NET has no call for
/// it, as a folder cannot be opened as a FileStream, so this calls the C library's open, fsync and close, the only
/// native calls NeuralFit makes. Best effort: skipped on Windows, where NTFS journals the rename, and on any error.
/// </summary>
static partial class DirectorySync
{
    /// <summary>glibc's libc.so is a linker script, not a library: on Linux the C library is libc.so.6.</summary>
    const string CLibrary = "libc";

    static readonly Lazy<bool> Available = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(DirectorySync).Assembly, (name, assembly, path) =>
            name == CLibrary && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : IntPtr.Zero);
        return true;
    });

    public static void Flush(string folder)
    {
        if (OperatingSystem.IsWindows() || !Available.Value) return;
        try
        {
            int fd = Open(folder, 0); // O_RDONLY, which opens a folder on Linux and macOS alike
            if (fd < 0) return;
            try { Fsync(fd); }
            finally { Close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    [LibraryImport(CLibrary, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport(CLibrary, EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport(CLibrary, EntryPoint = "close")]
    private static partial int Close(int fd);
}
