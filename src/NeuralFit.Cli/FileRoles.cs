using NeuralFit.Files;
using NeuralFit.Persistence;

namespace NeuralFit.Cli;

/// <summary>
/// The files a command reads and the ones it writes, compared before anything runs: no output may be one of the
/// inputs (`fit --data d.csv --out d.csv` would replace the data with a model) nor another output (`--json s.json
/// --out s.json`: one would silently replace the other). Paths are compared as resolved — absolute, with every
/// symbolic link on the way followed — so a link or a detour through "..", or another spelling of the same folder,
/// does not get past. A folder the command writes (a report, a checkpoint folder) claims the files it will write there.
/// </summary>
sealed class FileRoles
{
    readonly List<(string Flag, string Path, string Resolved, bool IsOutput, bool InFolder)> _files = [];

    public void Input(string flag, string path) => Add(flag, path, path, isOutput: false);

    /// <summary>An input named <paramref name="shown"/> that is read at <paramref name="path"/> (a data file relative to its config).</summary>
    public void Input(string flag, string shown, string path) => Add(flag, shown, path, isOutput: false);

    public void Output(string flag, string path) => Add(flag, path, path, isOutput: true);

    /// <summary>An input folder whose <paramref name="files"/> the command reads.</summary>
    public void InputFolder(string flag, string folder, IEnumerable<string> files)
    {
        foreach (var f in files) Add(flag, Path.Combine(folder, f), Path.Combine(folder, f), isOutput: false, inFolder: true);
    }

    /// <summary>An output folder, by the <paramref name="files"/> the command writes in it.</summary>
    public void OutputFolder(string flag, string folder, IEnumerable<string> files)
    {
        foreach (var f in files) Add(flag, Path.Combine(folder, f), Path.Combine(folder, f), isOutput: true, inFolder: true);
    }

    void Add(string flag, string shown, string path, bool isOutput, bool inFolder = false)
    {
        if (string.IsNullOrWhiteSpace(path)) return; // refused with its own message by whoever reads or writes it
        string resolved;
        try { resolved = Resolve(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or IOException) { return; }
        _files.Add((flag, shown, resolved, isOutput, inFolder));
    }

    /// <summary>Refuses an output that is an input or another output.</summary>
    public void Check()
    {
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase; // macOS and Windows ignore case
        for (int i = 0; i < _files.Count; i++)
            for (int j = 0; j < _files.Count; j++)
            {
                var (output, other) = (_files[i], _files[j]);
                if (i == j || !output.IsOutput) continue;
                if (other.IsOutput && other.Flag == output.Flag) continue; // the files of one folder are distinct by name
                if (output.InFolder && other.IsOutput && !other.InFolder) continue; // the single file is blamed, not the folder
                if (!string.Equals(output.Resolved, other.Resolved, comparison)) continue;
                string what = other.IsOutput ? $"is also written by {other.Flag}" : $"is the input given by {other.Flag}";
                throw new InputError($"{output.Flag} '{output.Path}': the file {what} ('{other.Path}'); give another path");
            }
    }

    /// <summary>
    /// The absolute path with every symbolic link resolved, component by component, as realpath(3) does, for the
    /// part that exists; a missing rest is appended as written (".." and "." already folded by GetFullPath).
    /// </summary>
    public static string Resolve(string path, int depth = 0)
    {
        string full = Path.GetFullPath(path);
        if (depth > 40) return full; // a loop of links: compared as written
        string root = Path.GetPathRoot(full) ?? "/";
        string current = root;
        var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < parts.Length; i++)
        {
            string next = Path.Combine(current, parts[i]);
            if (Posix.LinkKind(next) == FileKind.SymbolicLink && new FileInfo(next).LinkTarget is { } target)
                next = Resolve(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            current = next;
        }
        return current;
    }
}
