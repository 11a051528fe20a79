using NeuralFit.Persistence;

namespace NeuralFit.Cli;

/// <summary>
/// Everything a command writes, staged first and put in place together: files are written to temporary files beside
/// their places and reports to temporary folders, and only when all are ready does <see cref="Commit"/> rename them
/// into place. A command that fails or is stopped before then (a model that cannot be saved, a full disk, a signal
/// while a report is drawn) leaves none of its outputs, rather than some of them. Lines that say where things were
/// written are printed after the commit, so a failing standard output never stops a file from being written.
/// </summary>
sealed class Outputs : IDisposable
{
    readonly List<AtomicFile.Pending> _files = [];
    readonly List<StagedFolder> _folders = [];
    readonly List<string> _lines = [];
    readonly Lock _gate = new();

    /// <param name="interruption">Removes what is staged when a signal stops the command.</param>
    public Outputs(Interruption? interruption) => interruption?.OnAbort(Dispose);

    /// <summary>Stages a file; <paramref name="line"/> is printed once it is in place.</summary>
    public void File(string path, Action<Stream> write, string? line = null)
    {
        var pending = AtomicFile.Begin(path, write);
        lock (_gate) _files.Add(pending);
        if (line is not null) _lines.Add(line);
    }

    public void Text(string path, string text, string? line = null) =>
        File(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            writer.Write(text);
        }, line);

    /// <summary>Stages a folder: <paramref name="write"/> writes into the temporary folder it is given.</summary>
    public void Folder(string path, Action<string> write, string? line = null)
    {
        var folder = StagedFolder.Begin(path);
        lock (_gate) _folders.Add(folder);
        write(folder.Temporary);
        if (line is not null) _lines.Add(line);
    }

    /// <summary>
    /// Puts everything in place: first what is written straight to a device or FIFO (which can still fail), then the
    /// renames, which a signal waits for. Returns the lines to print.
    /// </summary>
    public IReadOnlyList<string> Commit(Interruption? interruption)
    {
        // A device or FIFO is written first, outside the commit's gate: a FIFO whose reader stops reading blocks the
        // write, and a signal must still end the command then (nothing has been renamed into place yet).
        foreach (var f in _files.Where(f => f.IsDirect).ToList()) f.Commit();
        void Renames()
        {
            foreach (var f in _files) f.Commit();
            foreach (var folder in _folders) folder.Commit();
        }
        if (interruption is null) Renames();
        else interruption.Commit(Renames);
        return _lines;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var f in _files) f.Dispose();
            foreach (var folder in _folders) folder.Dispose();
        }
    }
}
