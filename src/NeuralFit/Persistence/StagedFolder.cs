using NeuralFit.Files;
namespace NeuralFit.Persistence;

/// <summary>
/// A folder of files written as one, as a report is: everything goes into a temporary folder beside it
/// (".{name}.{process id}.{guid}.tmp"), and only <see cref="Commit"/> puts it in place — by renaming the folder when
/// there is none yet, else by moving each file into the existing one. A run stopped or failing before the commit
/// leaves no half-written folder; a temporary folder left by a killed process is removed when the same folder is next
/// written.
/// </summary>
internal sealed class StagedFolder : IDisposable
{
    /// <summary>Where the folder goes.</summary>
    public string Final { get; }

    /// <summary>Where its files are written meanwhile.</summary>
    public string Temporary { get; }

    bool _done;

    StagedFolder(string final, string temporary) => (Final, Temporary) = (final, temporary);

    public static StagedFolder Begin(string folder)
    {
        string final = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder));
        string parent = Path.GetDirectoryName(final) ?? throw new InputError($"cannot write the folder '{folder}': it is a root folder");
        if (!Directory.Exists(parent)) throw new InputError($"cannot write the folder '{folder}': the folder '{parent}' does not exist");
        if (Posix.Kind(final) is not (FileKind.Missing or FileKind.Directory)) throw new InputError($"cannot write the folder '{folder}': a file of that name exists");
        string name = Path.GetFileName(final);
        AtomicFile.RemoveAbandonedTemporaries(parent, name);
        string temporary = Path.Combine(parent, $".{AtomicFile.TemporaryStem(name)}.{Environment.ProcessId}.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}");
        try { Directory.CreateDirectory(temporary); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot write the folder '{folder}': {e.Message}");
        }
        return new StagedFolder(final, temporary);
    }

    public void Commit()
    {
        if (_done) return;
        try
        {
            if (!Directory.Exists(Final))
            {
                try
                {
                    Directory.Move(Temporary, Final);
                    _done = true;
                    return;
                }
                catch (IOException) when (Directory.Exists(Final)) { } // another writer made it meanwhile: the files go in one by one
            }
            var files = Directory.GetFiles(Temporary).Select(f => (From: f, To: Path.Combine(Final, Path.GetFileName(f)))).ToList();
            foreach (var (_, to) in files) // all checked before any is moved: only regular files are ever replaced
                if (Posix.LinkKind(to) is not (FileKind.Missing or FileKind.Regular))
                    throw new InputError($"cannot write '{to}': it is not a regular file");
            foreach (var (from, to) in files) File.Move(from, to, overwrite: true);
            Posix.SyncFolder(Final);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"cannot write the folder '{Final}': {e.Message}");
        }
        finally { Dispose(); }
    }

    /// <summary>Removes the temporary folder (the whole write, if it was not committed).</summary>
    public void Dispose()
    {
        _done = true;
        try { if (Directory.Exists(Temporary)) Directory.Delete(Temporary, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }
}
