using System.Text;

namespace NeuralFit.Cli.Terminal;

/// <summary>
/// Standard output (and error) that cannot stop a command: a write that fails (`>/dev/full`, a closed descriptor
/// `>&-`, a reader that went away) is recorded, the writes after it are dropped, and the command goes on to write its
/// files; a failed standard output is then reported in one line (see Program). Without this, the first failed line
/// ended the command with an internal error, before the files it was asked for were written — and a failed standard
/// error, written to while reporting an error, aborted the process (exit code 134).
/// </summary>
sealed class GuardedOutput : TextWriter
{
    TextWriter? _inner;

    GuardedOutput(TextWriter? inner, string? failure) => (_inner, Failure) = (inner, failure);

    /// <summary>Why standard output failed, if it did.</summary>
    public string? Failure { get; private set; }

    /// <summary>Puts guards in front of <see cref="Console.Out"/> and <see cref="Console.Error"/>; returns standard output's.</summary>
    public static GuardedOutput Install()
    {
        Console.SetError(Guard(() => Console.Error));
        var stdout = Guard(() => Console.Out);
        Console.SetOut(stdout);
        return stdout;
    }

    static GuardedOutput Guard(Func<TextWriter> open)
    {
        TextWriter? inner = null;
        string? failure = null;
        try { inner = open(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { failure = e.Message; }
        return new GuardedOutput(inner, failure);
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
