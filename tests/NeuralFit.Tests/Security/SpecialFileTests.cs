using System.Net.Sockets;
using NeuralFit.Files;
using NeuralFit.Persistence;
using NeuralFit.Tests.Cli;

namespace NeuralFit.Tests.Security;

/// <summary>
/// Writing never replaces what is not a regular file. Once, as root, `--json /dev/null` renamed a temporary file over
/// the device node. Device nodes are made here in temporary folders only (1:3 stands for /dev/null, 1:7 for
/// /dev/full); the machine's own are never touched.
/// </summary>
public class SpecialFileTests
{
    static readonly string[] Fit = ["fit", "--target", "x", "--domain", "0:1", "--quiet"];

    static string NewFolder() => Directory.CreateTempSubdirectory("nf-special-").FullName;

    [Fact]
    public void ANullDeviceIsWrittenToNotReplaced()
    {
        string dir = NewFolder(), node = Path.Combine(dir, "null");
        if (!SpecialFiles.TryMakeCharacterDevice(node, 1, 3)) return; // not root: mknod is not allowed
        var o = CliRunner.RunIn(dir, [.. Fit, "--steps", "3", "--json", "null", "--out", "null2"]);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Equal(FileKind.CharacterDevice, Posix.LinkKind(node));
        Assert.Equal(["null", "null2"], Directory.GetFileSystemEntries(dir).Select(p => Path.GetFileName(p)!).Order().ToArray()); // no temporary file left
    }

    [Fact]
    public void AFullDeviceIsAOneLineErrorAndStaysADevice()
    {
        string dir = NewFolder(), node = Path.Combine(dir, "full");
        if (!SpecialFiles.TryMakeCharacterDevice(node, 1, 7)) return;
        CliRunner.AssertCleanError(CliRunner.RunIn(dir, [.. Fit, "--steps", "3", "--json", "full"]), "cannot write 'full': No space left on device");
        Assert.Equal(FileKind.CharacterDevice, Posix.LinkKind(node));
    }

    [Fact]
    public async Task AFifoIsWrittenToWhenSomeoneReadsAndRefusedWhenNoOneDoes()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = NewFolder(), fifo = Path.Combine(dir, "pipe");
        SpecialFiles.MakeFifo(fifo);
        CliRunner.AssertCleanError(CliRunner.RunIn(dir, [.. Fit, "--steps", "3", "--json", "pipe"]), "cannot write 'pipe': it is a FIFO that no process reads from");

        var reader = Task.Run(() => File.ReadAllText(fifo)); // opening blocks until the command opens its end
        var o = CliRunner.RunIn(dir, [.. Fit, "--json", "pipe", "--steps", "200"]);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Contains("\"evaluation\"", await reader);
        Assert.Equal(FileKind.Fifo, Posix.LinkKind(fifo));
    }

    [Fact]
    public void ASocketIsRefusedBeforeTraining()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = NewFolder();
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(Path.Combine(dir, "sock")));
        CliRunner.AssertCleanError(CliRunner.RunIn(dir, [.. Fit, "--steps", "1000000000", "--out", "sock"]), "cannot write 'sock': it is a socket");
    }

    /// <summary>
    /// A link is replaced, never followed to choose what to replace: a link planted in a shared folder (/tmp) would
    /// otherwise turn `--json result.json` into the replacement of whatever file it names.
    /// </summary>
    [Fact]
    public void ASymbolicLinkIsReplacedAndWhatItNamesLeftAlone()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = NewFolder();
        File.WriteAllText(Path.Combine(dir, "precious.txt"), "old");
        File.CreateSymbolicLink(Path.Combine(dir, "link.json"), "precious.txt");
        var o = CliRunner.RunIn(dir, [.. Fit, "--steps", "3", "--json", "link.json"]);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.Equal(FileKind.Regular, Posix.LinkKind(Path.Combine(dir, "link.json")));
        Assert.Contains("\"evaluation\"", File.ReadAllText(Path.Combine(dir, "link.json")));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir, "precious.txt")));
        Assert.Empty(Directory.GetFiles(dir, "*.tmp", SearchOption.AllDirectories));
    }

    /// <summary>A file name near the 255-byte limit is written: its temporary file's name is shortened to fit.</summary>
    [Fact]
    public void ALongFileNameIsWrittenAndATooLongOneRefusedBeforeTraining()
    {
        string dir = NewFolder();
        string name = new string('a', 240) + ".json";
        var o = CliRunner.RunIn(dir, [.. Fit, "--steps", "3", "--json", name]);
        Assert.True(o.ExitCode == 0, o.All);
        Assert.True(File.Exists(Path.Combine(dir, name)));
        CliRunner.AssertCleanError(CliRunner.RunIn(dir, [.. Fit, "--steps", "1000000000", "--json", new string('b', 300)]), "a file name is at most 255 bytes");
    }

    /// <summary>
    /// A FIFO whose reader never reads blocks the write once its buffer is full: a signal still ends the command then,
    /// and the other outputs, not yet renamed into place, are not written.
    /// </summary>
    [Fact]
    public void AFifoThatIsNotReadDoesNotHoldTheCommandAgainstASignal()
    {
        if (OperatingSystem.IsWindows()) return;
        string dir = NewFolder(), fifo = Path.Combine(dir, "pipe");
        SpecialFiles.MakeFifo(fifo);
        using var holder = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite); // a reader (and writer) that never reads
        using var p = CliProcess.Start(dir, [.. Fit, "--steps", "3", "--layers", "200,200", "--optimizer", "adam", "--out", "pipe", "--json", "result.json", "--checkpoint", "ck"]);
        // The final checkpoint marks the end of training (a signal from then on stops the command at once); then the
        // model's 800 KB go to the FIFO, and block: the command cannot end but by the signal.
        p.AwaitState(() => File.Exists(Path.Combine(dir, "ck", "checkpoint.json")), "training did not end");
        p.Signal(2);
        var o = p.WaitForExit();
        Assert.Equal(130, o.ExitCode);
        Assert.Equal(["ck", "pipe"], Directory.GetFileSystemEntries(dir).Select(e => Path.GetFileName(e)!).Order().ToArray());
    }
}
