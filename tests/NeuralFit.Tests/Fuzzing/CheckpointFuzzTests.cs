using System.Text;
using CsCheck;
using NeuralFit.Configuration;
using NeuralFit.Persistence.Checkpoints;
using NeuralFit.Fitting;
using NeuralFit.Tests.Checkpoints;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// Property-based tests of the checkpoint and best-model loaders: a real file, damaged at random (cut short, bytes
/// flipped, spans deleted or repeated, digits changed), is refused with an <see cref="InputError"/> or read; and a
/// damaged checkpoint that is read can be resumed, again failing only with an InputError. This is where a loader
/// that trusts a length, an index or a count from the file would crash.
/// </summary>
public class CheckpointFuzzTests
{
    const int Checkpoints = 3_000, BestModels = 3_000;

    static readonly Lazy<(byte[] Checkpoint, byte[] BestModel)> Valid = new(() =>
    {
        string folder = CheckpointRuns.NewFolder();
        var config = CheckpointRuns.Small() with { Steps = 120, Dropout = 0.1, OnDivergence = DivergencePolicy.Rollback, Layers = [6, 4] };
        CheckpointRuns.RunUntil(config, folder, stopAt: 60);
        return (File.ReadAllBytes(CheckpointFolder.CheckpointPath(folder)), File.ReadAllBytes(CheckpointFolder.BestModelPath(folder)));
    });

    /// <summary>Edits: (kind, position, length, byte).</summary>
    static readonly Gen<(int Kind, int At, int Length, byte Byte)[]> Damage =
        Gen.Select(Gen.Int[0, 5], Gen.Int.Positive, Gen.Int[1, 40], Gen.OneOf(Gen.Byte, Gen.Byte[(byte)'0', (byte)'9'], Gen.Const((byte)'"'), Gen.Const((byte)'-'))).Array[1, 3];

    [Fact]
    public void DamagedCheckpointsAreRefusedWithAnInputErrorOrResumeCleanly()
    {
        int read = 0;
        Damage.Sample(edits =>
        {
            var bytes = Apply(Valid.Value.Checkpoint, edits);
            CheckpointState state;
            try { state = CheckpointJson.Read(bytes, "checkpoint.json"); }
            catch (InputError) { return; }
            Interlocked.Increment(ref read);
            try
            {
                var (config, plan) = Resumption.Continue("fuzz", state, state.Config, []);
                FitRunner.Run(config, new FitHooks { Extensions = [new RunCheckpoints(plan with { Folder = null })] });
            }
            catch (InputError) { }
        }, iter: Checkpoints);
        Assert.True(read > Checkpoints / 20, $"only {read} damaged checkpoints were read: resuming was hardly exercised");
    }

    [Fact]
    public void DamagedBestModelsAreRefusedWithAnInputErrorOrPredict()
    {
        Damage.Sample(edits =>
        {
            SavedBestModel model;
            try { model = BestModelFile.Parse(Apply(Valid.Value.BestModel, edits), "best-model.json"); }
            catch (InputError) { return; }
            model.ToFittedModel().PredictPoint(new double[model.Shape.Inputs]);
        }, iter: BestModels);
    }

    [Fact]
    public void ACheckpointWrittenAndReadBackIsWrittenTheSame()
    {
        var state = CheckpointJson.Read(Valid.Value.Checkpoint, "checkpoint.json");
        using var again = new MemoryStream();
        CheckpointJson.Write(again, state);
        string expected = Encoding.UTF8.GetString(Valid.Value.Checkpoint), actual = Encoding.UTF8.GetString(again.ToArray());
        Assert.Equal(Without("writtenBy", expected), Without("writtenBy", actual));
    }

    static string Without(string key, string json) => string.Join('\n', json.Split('\n').Where(l => !l.Contains($"\"{key}\"")));

    static byte[] Apply(byte[] original, (int Kind, int At, int Length, byte Byte)[] edits)
    {
        var bytes = new List<byte>(original);
        foreach (var (kind, position, length, value) in edits)
        {
            if (bytes.Count == 0) break;
            int at = position % bytes.Count, span = Math.Min(length, bytes.Count - at);
            switch (kind)
            {
                case 0: bytes.RemoveRange(at, bytes.Count - at); break;                        // cut short
                case 1: bytes[at] = value; break;                                               // one byte changed
                case 2: bytes.RemoveRange(at, span); break;                                     // a span deleted
                case 3: bytes.InsertRange(at, bytes.GetRange(at, span)); break;                 // a span repeated
                case 4: bytes[at] = (byte)(bytes[at] ^ (1 << (value % 8))); break;              // one bit flipped
                default:                                                                        // a digit changed
                    int digit = bytes.FindIndex(at, b => b is >= (byte)'0' and <= (byte)'9');
                    if (digit >= 0) bytes[digit] = (byte)('0' + value % 10);
                    break;
            }
        }
        return bytes.ToArray();
    }
}
