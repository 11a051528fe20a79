namespace NeuralFit.Files;

/// <summary>
/// Opens a file NeuralFit reads (configuration, data, model, checkpoint, sweep), bounded: a regular file larger than
/// its limit is refused before it is read, and anything else — a pipe such as /dev/stdin, a FIFO, a device such as
/// /dev/zero — is read only up to that limit, so no input can make NeuralFit read without end. A FIFO that no process
/// writes to reads as empty instead of hanging. Every problem is an <see cref="InputError"/> naming the file: missing,
/// a folder, too large, unreadable.
/// </summary>
/// <param name="What">What the file is, for messages: "config file", "model file".</param>
/// <param name="Limit">Who the limit is for: "a configuration", "a model file".</param>
internal sealed record InputFile(string What, string Limit, long MaxBytes)
{
    public byte[] ReadAllBytes(string path)
    {
        using var stream = OpenRead(path);
        var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return bytes.ToArray();
    }

    /// <summary>The whole file as text, its encoding taken from a byte-order mark (UTF-8 without one).</summary>
    public string ReadAllText(string path)
    {
        using var reader = new StreamReader(OpenRead(path), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    /// <summary>A stream of the file that fails with an <see cref="InputError"/> once it has given more than the limit.</summary>
    /// <param name="name">How messages name the file (default: the path).</param>
    public Stream OpenRead(string path, string? name = null)
    {
        name ??= path;
        string full;
        try { full = string.IsNullOrWhiteSpace(path) ? throw new ArgumentException("empty") : Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"{What} '{name}' is not a usable path");
        }
        var kind = Posix.Kind(full);
        if (kind == FileKind.Missing) throw new InputError($"{What} '{name}' does not exist");
        if (kind == FileKind.Directory) throw new InputError($"{What} '{name}' is a folder, not a file");
        if (kind is FileKind.Socket or FileKind.BlockDevice)
            throw new InputError($"{What} '{name}' is a {(kind == FileKind.Socket ? "socket" : "block device")}, not a file");
        try
        {
            if (kind == FileKind.Regular)
            {
                long length = new FileInfo(full).Length;
                if (length > MaxBytes) throw new InputError($"{What} '{name}' is {length:N0} bytes; {Limit} is at most {MaxBytes:N0}");
            }
            Stream stream = kind == FileKind.Fifo && Posix.OpenFifo(full, write: false, out _) is { } fifo
                ? new FileStream(fifo, FileAccess.Read, 1 << 16)
                : new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return new Capped(stream, this, name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"{What} '{name}' cannot be read: {e.Message}");
        }
    }

    /// <summary>A read-only stream that refuses to give more than <see cref="MaxBytes"/>.</summary>
    sealed class Capped(Stream inner, InputFile file, string path) : Stream
    {
        long _read;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n;
            try { n = inner.Read(buffer); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InputError($"{file.What} '{path}' cannot be read: {e.Message}");
            }
            _read += n;
            if (_read > file.MaxBytes)
                throw new InputError($"{file.What} '{path}' holds more than {file.MaxBytes:N0} bytes; {file.Limit} is at most {file.MaxBytes:N0}");
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
