using NeuralFit.Files;
namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// The folder a run keeps its checkpoint in: <c>checkpoint.json</c>, the latest state, and <c>best-model.json</c>, the
/// best model so far (see <see cref="BestModelFile"/>). Both are replaced whole (<see cref="AtomicFile"/>): a crash at
/// any moment leaves the previous file or the next, plus at most a temporary file that the next run here removes.
/// While a run writes there it holds the folder's lock (<see cref="CheckpointLock"/>). NeuralFit reads and writes
/// nothing else in the folder.
/// </summary>
internal static class CheckpointFolder
{
    public const string CheckpointFileName = "checkpoint.json";
    public const string BestModelFileName = "best-model.json";

    /// <summary>Larger checkpoints are refused before they are read (and never written: see <see cref="CheckSize"/>).</summary>
    public const long MaxCheckpointBytes = 1L << 30;

    public static string CheckpointPath(string folder) => Path.Combine(folder, CheckpointFileName);
    public static string BestModelPath(string folder) => Path.Combine(folder, BestModelFileName);

    /// <summary>
    /// Makes the folder ready before training: created if missing, writable, its files regular files, and — unless
    /// the run continues from it — holding no checkpoint of another run, which a new run would overwrite.
    /// </summary>
    public static void Prepare(string folder, bool resuming)
    {
        if (File.Exists(folder)) throw new InputError($"--checkpoint: '{folder}' is a file, not a folder");
        try { Directory.CreateDirectory(folder); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InputError($"--checkpoint: cannot create the folder '{folder}': {e.Message}");
        }
        AtomicFile.CheckWritable(CheckpointPath(folder));
        foreach (var path in new[] { CheckpointPath(folder), BestModelPath(folder) })
            if (Posix.LinkKind(Path.GetFullPath(path)) is not (FileKind.Missing or FileKind.Regular))
                throw new InputError($"--checkpoint: '{path}' is not a regular file; a checkpoint folder holds NeuralFit's files only");
        if (!resuming) CheckHoldsNoCheckpoint(folder);
    }

    /// <summary>Refuses a folder that holds a checkpoint, which a new run would overwrite.</summary>
    public static void CheckHoldsNoCheckpoint(string folder)
    {
        if (File.Exists(CheckpointPath(folder)))
            throw new InputError($"--checkpoint: '{folder}' already holds a checkpoint; continue that run with 'neuralfit fit --resume {folder}', " +
                                 "or give an empty folder");
    }

    /// <summary>
    /// Takes the folder for this run: its lock, then the temporary files that writes cut short by a crash left there
    /// (of the folder's own two files only, see <see cref="AtomicFile.RemoveAbandonedTemporaries"/>) are removed.
    /// </summary>
    public static CheckpointLock Take(string folder, string flag)
    {
        var held = CheckpointLock.Acquire(folder, flag);
        AtomicFile.RemoveAbandonedTemporaries(folder, CheckpointFileName);
        AtomicFile.RemoveAbandonedTemporaries(folder, BestModelFileName);
        return held;
    }

    /// <summary>Takes the lock of a folder to resume (see <see cref="Take"/>), once it is known to hold a checkpoint.</summary>
    public static CheckpointLock TakeToResume(string folder)
    {
        CheckResumable(folder);
        return Take(folder, "--resume");
    }

    static void CheckResumable(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InputError(File.Exists(folder) ? $"--resume: '{folder}' is a file; give the checkpoint folder" : $"--resume: the folder '{folder}' does not exist");
        if (!File.Exists(CheckpointPath(folder))) throw new InputError($"--resume: '{folder}' holds no {CheckpointFileName}");
        // a FIFO or a device there (/dev/zero through a link) is no checkpoint, and is not read up to the 1 GiB limit
        if (Posix.Kind(Path.GetFullPath(CheckpointPath(folder))) != FileKind.Regular)
            throw new InputError($"--resume: '{CheckpointPath(folder)}' is not a regular file");
    }

    /// <summary>Reads the checkpoint in <paramref name="folder"/>, refusing a missing, oversized or damaged one.</summary>
    public static CheckpointState Load(string folder)
    {
        CheckResumable(folder);
        string path = CheckpointPath(folder);
        var info = new FileInfo(path);
        if (info.Length > MaxCheckpointBytes)
            throw new InputError($"{path}: {info.Length:N0} bytes; a checkpoint is at most {MaxCheckpointBytes:N0}");
        var bytes = new InputFile("checkpoint", "a checkpoint", MaxCheckpointBytes).ReadAllBytes(path);
        return CheckpointJson.Read(bytes, path);
    }

    public static void Save(string folder, CheckpointState state) =>
        AtomicFile.Write(CheckpointPath(folder), stream => CheckpointJson.Write(stream, state));

    /// <summary>Refuses, before training, a network whose checkpoints would be too large to read back.</summary>
    public static void CheckSize(int parameterCount, int optimizerVectors, int elementBytes)
    {
        // parameters, optimizer state, the best and last good copies (with optimizer state); base64 is 4/3 of the bytes
        double bytes = (double)parameterCount * elementBytes * (3 + 2 * optimizerVectors) * 4 / 3;
        if (bytes > MaxCheckpointBytes)
            throw new InputError($"--checkpoint: checkpoints of this network would be about {ByteSize.Format(bytes)}, " +
                                 $"more than the {ByteSize.Format(MaxCheckpointBytes)} a checkpoint may hold");
    }
}
