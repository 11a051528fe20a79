using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace NeuralFit.Files;

/// <summary>What a path names, as stat(2) says (symbolic links followed, except by <see cref="Posix.LinkKind"/>).</summary>
internal enum FileKind { Missing, Regular, Directory, CharacterDevice, BlockDevice, Fifo, Socket, SymbolicLink, Other }

/// <summary>
/// The few native calls NeuralFit makes, for what .NET has no call for: the type of a file (a device, a FIFO and a
/// regular file all look alike to <see cref="FileInfo"/>), opening a FIFO without waiting for its other end, an
/// exclusive lock that the kernel drops when its process dies, and fsync of a folder. stat comes from .NET's own
/// native shim (libSystem.Native, present wherever .NET runs on Unix, whose file-status record starts with its
/// flags and mode on every platform); the rest from the C library. Nothing here runs on Windows, which has no device
/// nodes or FIFOs in its file system, locks files itself and journals renames.
/// </summary>
internal static partial class Posix
{
    /// <summary>glibc's libc.so is a linker script, not a library: on Linux the C library is libc.so.6.</summary>
    const string CLibrary = "libc";
    const string DotnetShim = "libSystem.Native";

    public static bool Available => !OperatingSystem.IsWindows() && Resolver.Value;

    static readonly Lazy<bool> Resolver = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(Posix).Assembly, (name, assembly, path) =>
            name == CLibrary && OperatingSystem.IsLinux() && NativeLibrary.TryLoad("libc.so.6", out var handle) ? handle : IntPtr.Zero);
        return true;
    });

    /// <summary>What <paramref name="path"/> names, following symbolic links; <see cref="FileKind.Missing"/> when nothing.</summary>
    public static FileKind Kind(string path) => KindOf(path, followLinks: true);

    /// <summary>What <paramref name="path"/> itself is: a symbolic link is reported as one.</summary>
    public static FileKind LinkKind(string path) => KindOf(path, followLinks: false);

    static FileKind KindOf(string path, bool followLinks)
    {
        if (!Available)
            return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.Regular : FileKind.Missing;
        var status = new FileStatus();
        if ((followLinks ? Stat(path, ref status) : LStat(path, ref status)) != 0) return FileKind.Missing;
        return (status.Mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            0xA000 => FileKind.SymbolicLink,
            _ => FileKind.Other,
        };
    }

    /// <summary>
    /// Opens a FIFO without blocking on its other end, then makes the descriptor blocking again. For reading, a FIFO
    /// that no process writes to then reads as empty at once (instead of hanging); for writing, one that no process
    /// reads from fails with ENXIO (instead of hanging), which is returned as <paramref name="errno"/>.
    /// </summary>
    public static SafeFileHandle? OpenFifo(string path, bool write, out int errno)
    {
        int nonBlocking = OperatingSystem.IsLinux() ? 0x800 : 0x4, closeOnExec = OperatingSystem.IsLinux() ? 0x80000 : 0x1000000;
        int fd = Open(path, (write ? 1 : 0) | nonBlocking | closeOnExec);
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        if (fd < 0) return null;
        SetNonBlocking(fd, 0);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>ENXIO: a FIFO opened for writing that no process reads.</summary>
    public const int NoReader = 6;

    /// <summary>
    /// Opens (creating it, mode 0644) a file to lock, without the shared lock .NET's FileStream would take, which would
    /// stop another process from reading who holds it; never through a symbolic link (O_NOFOLLOW), so a link planted
    /// in the folder cannot make the lock's writing land in another file.
    /// </summary>
    public static SafeFileHandle? OpenLockFile(string path, bool create)
    {
        const int ReadWrite = 0x2, ReadOnly = 0x0, CloseOnExec = 0x10, Create = 0x20, NoFollow = 0x200; // .NET's PAL open flags
        nint fd = ShimOpen(path, (create ? ReadWrite | Create : ReadOnly) | CloseOnExec | NoFollow, Convert.ToInt32("644", 8));
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// An exclusive lock on an open file (flock), or false when another open file holds one. The kernel releases it
    /// when the file is closed or its process dies, however it dies, so a dead process never keeps a lock.
    /// </summary>
    public static bool TryLock(SafeFileHandle handle)
    {
        const int Exclusive = 2, NonBlocking = 4;
        return Flock(handle.DangerousGetHandle(), Exclusive | NonBlocking) == 0;
    }

    /// <summary>fsync of a folder, so that a rename into it survives a power cut. Best effort.</summary>
    public static void SyncFolder(string folder)
    {
        if (!Available) return;
        try
        {
            int fd = Open(folder, 0); // O_RDONLY, which opens a folder on Linux and macOS alike
            if (fd < 0) return;
            try { Fsync(fd); }
            finally { Close(fd); }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

    /// <summary>
    /// True when <paramref name="path"/> itself (not what a link names) belongs to the user this process runs as: a
    /// folder in a shared place such as /tmp that another user made first is not one to keep files in.
    /// </summary>
    public static bool IsOwnedByMe(string path)
    {
        if (!Available) return true;
        var status = new FileStatus();
        return LStat(path, ref status) == 0 && (uint)status.Uid == GetEffectiveUserId();
    }

    /// <summary>The start of .NET's FileStatus (pal_io.h): flags, mode, owner, group; the rest, which grows between
    /// releases, is room.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 512)]
    struct FileStatus
    {
        public int Flags;
        public int Mode;
        public int Uid;
        public int Gid;
    }

    [LibraryImport(CLibrary, EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport(DotnetShim, EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Stat(string path, ref FileStatus status);

    [LibraryImport(DotnetShim, EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, ref FileStatus status);

    [LibraryImport(CLibrary, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    /// <summary>fcntl is variadic, which P/Invoke cannot call portably; .NET's shim wraps the one use needed.</summary>
    [LibraryImport(DotnetShim, EntryPoint = "SystemNative_FcntlSetIsNonBlocking")]
    private static partial int SetNonBlocking(nint fd, int isNonBlocking);

    [LibraryImport(DotnetShim, EntryPoint = "SystemNative_Open", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint ShimOpen(string path, int flags, int mode);

    [LibraryImport(DotnetShim, EntryPoint = "SystemNative_FLock")]
    private static partial int Flock(nint fd, int operation);

    [LibraryImport(CLibrary, EntryPoint = "fsync")]
    private static partial int Fsync(int fd);

    [LibraryImport(CLibrary, EntryPoint = "close")]
    private static partial int Close(int fd);
}
