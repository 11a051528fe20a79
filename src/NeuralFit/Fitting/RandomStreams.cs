using NeuralFit.Sampling;

namespace NeuralFit.Fitting;

/// <summary>
/// One independent random stream per purpose, all derived from the run's seed, so that (for example) printing
/// display lines or adding a validation split never changes the initial weights or the training batches.
/// </summary>
internal static class RandomStreams
{
    public static Rng Init(ulong seed) => Rng.Stream(seed, 1);
    public static Rng Batches(ulong seed) => Rng.Stream(seed, 2);
    public static Rng TrainingSet(ulong seed) => Rng.Stream(seed, 3);
    public static Rng Split(ulong seed) => Rng.Stream(seed, 4);
    public static Rng Display(ulong seed) => Rng.Stream(seed, 5);
    public static Rng Probes(ulong seed) => Rng.Stream(seed, 6);
    public static Rng Dropout(ulong seed) => Rng.Stream(seed, 7);
    public static Rng TestSplit(ulong seed) => Rng.Stream(seed, 8);
    public static Rng Folds(ulong seed) => Rng.Stream(seed, 9);

    /// <summary>The draws of a growing fit's stage (new units' weights, new points): one stream per stage.</summary>
    public static Rng Stage(ulong seed, int stage) => Rng.Stream(seed, 100 + (ulong)stage);

    /// <summary>The points a stage's fit is checked on between its training points (several inputs): one stream per stage.</summary>
    public static Rng StageCheck(ulong seed, int stage) => Rng.Stream(seed, 10_000 + (ulong)stage);
}
