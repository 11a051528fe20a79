using System.Runtime.InteropServices;

namespace NeuralFit.Tests.Security;

/// <summary>Special files for tests, made in temporary folders only: FIFOs, and device nodes (as root) that stand
/// for /dev/null and /dev/full without touching those.</summary>
static class SpecialFiles
{
    public static void MakeFifo(string path)
    {
        if (mkfifo(path, Convert.ToUInt32("644", 8)) != 0) throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>A character device node (major, minor) at <paramref name="path"/>, or false when this process may not
    /// make one (not root). 1:3 is the null device, 1:7 the full one.</summary>
    public static bool TryMakeCharacterDevice(string path, int major, int minor)
    {
        const uint CharacterDevice = 0x2000;
        ulong device = ((ulong)major << 8) | (uint)minor; // Linux's old encoding, valid for small numbers
        return OperatingSystem.IsLinux() && mknod(path, CharacterDevice | Convert.ToUInt32("666", 8), device) == 0;
    }

    [DllImport("libc", SetLastError = true)]
    static extern int mkfifo(string path, uint mode);

    [DllImport("libc", SetLastError = true)]
    static extern int mknod(string path, uint mode, ulong device);
}
