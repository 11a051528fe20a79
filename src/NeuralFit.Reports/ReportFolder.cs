using NeuralFit.Persistence;

namespace NeuralFit.Reports;

/// <summary>The folder a report goes into: checked for writing before a long run starts, made when it is written.</summary>
public static class ReportFolder
{
    /// <summary>Makes the folder (if missing) and checks it can be written; returns its full path.</summary>
    public static string Prepare(string dir)
    {
        string full = Check(dir);
        try { Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"--report {dir}: cannot create the folder: {e.Message}");
        }
        return full;
    }

    /// <summary>
    /// Fails early, before a long run, if the report could not be written at the end; makes nothing (the report is
    /// written to a temporary folder beside it and renamed into place, see <see cref="StagedFolder"/>).
    /// </summary>
    public static string Check(string dir)
    {
        string full;
        try { full = string.IsNullOrWhiteSpace(dir) ? throw new ArgumentException("empty") : Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new InputError($"--report '{dir}': not a valid folder path");
        }
        if (File.Exists(full) && !Directory.Exists(full)) throw new InputError($"--report {dir}: a file of that name exists; give a folder");
        string parent = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(parent)) throw new InputError($"--report {dir}: the folder '{parent}' does not exist");
        // the report's own index.html if the folder is there; else a file beside it, as the report's temporary folder will be
        try { AtomicFile.CheckWritable(Directory.Exists(full) ? Path.Combine(full, "index.html") : Path.Combine(parent, $".{Path.GetFileName(full)}")); }
        catch (InputError e) { throw new InputError($"--report {dir}: {e.Message}"); }
        return full;
    }
}
