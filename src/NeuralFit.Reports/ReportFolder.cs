using NeuralFit.Persistence;

namespace NeuralFit.Reports;

/// <summary>The folder a report goes into: made if missing, checked for writing before a long run starts.</summary>
public static class ReportFolder
{
    public static string Prepare(string dir)
    {
        string full = Path.GetFullPath(dir);
        if (File.Exists(full)) throw new InputError($"--report {dir}: a file of that name exists; give a folder");
        try { Directory.CreateDirectory(full); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputError($"--report {dir}: cannot create the folder: {e.Message}");
        }
        AtomicFile.CheckWritable(Path.Combine(full, "index.html"));
        return full;
    }
}
