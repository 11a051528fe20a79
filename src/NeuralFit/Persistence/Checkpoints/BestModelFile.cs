using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;

namespace NeuralFit.Persistence.Checkpoints;

/// <summary>A model read back from <c>best-model.json</c>.</summary>
/// <param name="Loss">The loss it was kept for (NaN when none was measured yet).</param>
internal sealed record SavedBestModel(NetworkShape Shape, Normalization Normalization, double[] Parameters, int Step, double Loss, Precision Precision)
{
    /// <summary>The network with its normalisation, predicting in the user's units (in float64).</summary>
    public FittedModel ToFittedModel() => new FittedModel<double>(new Mlp<double>(Shape, (double[])Parameters.Clone()), Normalization);

    /// <summary>The network in the precision it was trained in (float32 values are exact in float64, so nothing is lost).</summary>
    public FittedModel ToFittedModelInPrecision() => Precision == Precision.Float32
        ? new FittedModel<float>(new Mlp<float>(Shape, Parameters.Select(v => (float)v).ToArray()), Normalization)
        : ToFittedModel();
}

/// <summary>
/// <c>best-model.json</c> in a checkpoint folder: the best model of a run so far, as a regular model file (see
/// <see cref="ModelFile"/>), so <c>neuralfit predict --model DIR/best-model.json</c> and the exporters take it as it
/// is. Its training summary says at which step it was kept (<c>training.steps</c>), for which loss
/// (<c>training.finalLoss</c>), and carries the run's configuration.
/// </summary>
internal static class BestModelFile
{
    /// <summary>Why the model was saved, as its training summary's stop reason says.</summary>
    public const string SavedAs = "best-so-far";

    public static void Write(string path, SavedBestModel m, RunConfig config) =>
        ModelFile.Save(new SavedModel
        {
            Model = m.ToFittedModelInPrecision(),
            InputNames = SavedModel.DefaultInputNames(m.Shape.Inputs),
            Target = config.Target,
            Domain = config.Domain,
            Training = new TrainingSummary
            {
                Steps = m.Step,
                StopReason = SavedAs,
                FinalLoss = double.IsFinite(m.Loss) ? m.Loss : null,
                Config = ConfigReader.ToJson(config),
                SavedAt = DateTimeOffset.UtcNow,
            },
        }, path);

    public static SavedBestModel Read(string path) => From(ModelFile.Load(path));

    /// <summary>Reads a best-model file's bytes; <paramref name="path"/> names it in errors.</summary>
    public static SavedBestModel Parse(byte[] bytes, string path) => From(ModelFileReader.Parse(bytes, path));

    static SavedBestModel From(SavedModel saved) =>
        new(saved.Model.Shape, saved.Model.Normalization, saved.Model.ParametersAsDouble(),
            saved.Training?.Steps ?? 0, saved.Training?.FinalLoss ?? double.NaN, saved.Precision);
}
