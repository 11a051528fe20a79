using System.Text;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// Standard output that cannot stop a command: a write that fails (`>/dev/full`, a closed descriptor `>&-`, a reader
/// that went away) is recorded, the writes after it are dropped, and the command goes on to write its files; the
/// failure is then reported in one line (see Program). Without this, the first failed line ended the command with an
/// internal error, before the files it was asked for were written.
/// </summary>
sealed class GuardedOutput : TextWriter
{
    TextWriter? _inner;

    GuardedOutput(TextWriter? inner, string? failure) => (_inner, Failure) = (inner, failure);

    /// <summary>Why standard output failed, if it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Puts the guard in front of <see cref="Console.Out"/>.</summary>
    public static GuardedOutput Install()
    {
        TextWriter? inner = null;
        string? failure = null;
        try { inner = Console.Out; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { failure = e.Message; }
        var guard = new GuardedOutput(inner, failure);
        Console.SetOut(guard);
        return guard;
    }

    public override Encoding Encoding => _inner?.Encoding ?? Encoding.UTF8;

    public override void Write(char value) => Guard(w => w.Write(value));
    public override void Write(string? value) => Guard(w => w.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guard(w => w.Write(buffer, index, count));
    public override void Write(ReadOnlySpan<char> buffer)
    {
        var copy = buffer.ToArray();
        Guard(w => w.Write(copy));
    }
    public override void WriteLine(string? value) => Guard(w => w.WriteLine(value));
    public override void WriteLine() => Guard(w => w.WriteLine());
    public override void Flush() => Guard(w => w.Flush());

    readonly Lock _gate = new();

    void Guard(Action<TextWriter> write)
    {
        lock (_gate)
        {
            if (_inner is not { } inner) return;
            try { write(inner); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                Failure ??= e.Message;
                _inner = null;
            }
        }
    }
}
