namespace NeuralFit.Persistence.Checkpoints;

/// <summary>
/// The folder a run keeps its checkpoint in: <c>checkpoint.json</c>, the latest state, and <c>best-model.json</c>, the
/// best model so far (see <see cref="BestModelFile"/>). Both are replaced whole (<see cref="AtomicFile"/>): a crash at
/// any moment leaves the previous file or the next, plus at most a temporary file that the next run here removes.
/// NeuralFit reads and writes nothing else in the folder.
/// </summary>
public static class CheckpointFolder
{
    public const string CheckpointFileName = "checkpoint.json";
    public const string BestModelFileName = "best-model.json";

    /// <summary>Larger checkpoints are refused before they are read (and never written: see <see cref="CheckSize"/>).</summary>
    public const long MaxCheckpointBytes = 1L << 30;

    public static string CheckpointPath(string folder) => Path.Combine(folder, CheckpointFileName);
    public static string BestModelPath(string folder) => Path.Combine(folder, BestModelFileName);

    /// <summary>
    /// Makes the folder ready before training: created if missing, writable, and — unless the run continues from it —
    /// holding no checkpoint of another run, which a new run would overwrite. Leftover temporary files of writes that
    /// a crash cut short are removed.
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
        if (!resuming && File.Exists(CheckpointPath(folder)))
            throw new InputError($"--checkpoint: '{folder}' already holds a checkpoint; continue that run with 'neuralfit fit --resume {folder}', " +
                                 "or give an empty folder");
        AtomicFile.RemoveAbandonedTemporaries(folder);
    }

    /// <summary>Reads the checkpoint in <paramref name="folder"/>, refusing a missing, oversized or damaged one.</summary>
    public static CheckpointState Load(string folder)
    {
        if (!Directory.Exists(folder))
            throw new InputError(File.Exists(folder) ? $"--resume: '{folder}' is a file; give the checkpoint folder" : $"--resume: the folder '{folder}' does not exist");
        string path = CheckpointPath(folder);
        var info = new FileInfo(path);
        if (!info.Exists) throw new InputError($"--resume: '{folder}' holds no {CheckpointFileName}");
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
            throw new InputError($"--checkpoint: checkpoints of this network would be about {Configuration.ByteSize.Format(bytes)}, " +
                                 $"more than the {Configuration.ByteSize.Format(MaxCheckpointBytes)} a checkpoint may hold");
    }
}
