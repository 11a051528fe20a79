using NeuralFit.Configuration;

namespace NeuralFit.Diagnostics;

/// <summary>
/// Which settings a run actually uses, so that a fix or a saved configuration never carries a key that would change
/// nothing. lbfgs and lm take the whole training set and choose their own steps (as <see cref="Fitting.WholeBatchSetup"/>
/// notes); Bayesian regularisation belongs to lm; a data file brings its own inputs; fresh sampling has no fixed set.
/// </summary>
internal static class SettingUse
{
    /// <summary>What lbfgs and lm ignore: they take no learning rate, schedule, minibatch, dropout or gradient clip.</summary>
    public static readonly IReadOnlySet<string> WholeBatchIgnores = new HashSet<string> { "learningRate", "schedule", "batchSize", "dropout", "clipNorm" };

    static readonly HashSet<string> ExpressionOnly = ["target", "domain", "sampler", "samples", "evalDomain", "evalPoints"];
    static readonly HashSet<string> DataOnly = ["data", "targetColumn", "targetColumns", "testFraction"];

    /// <summary>What a data fit whose model is the linear baseline uses: the data, its split and the goals. Its network has
    /// no hidden layer and NeuralFit fits it in closed form (ridge regression), so no training setting applies.</summary>
    static readonly HashSet<string> BaselineUses = ["data", "targetColumn", "targetColumns", "inputColumns", "dropColumns", "layers", "seed", "testFraction", "goalMse", "goalMaxError"];

    /// <param name="usesBaseline">The run's model is the linear baseline (<see cref="Fitting.FitResult.UsesBaseline"/>).</param>
    public static bool Uses(RunConfig c, string key, bool usesBaseline = false)
    {
        if (usesBaseline) return BaselineUses.Contains(key);
        if (c.Optimizer.IsWholeBatch() && WholeBatchIgnores.Contains(key)) return false;
        if (key == "regularization" && c.Optimizer != OptimizerKind.Lm) return false;
        if (c.Data is not null ? ExpressionOnly.Contains(key) : DataOnly.Contains(key)) return false;
        if (key == "samples" && c.Sampler == SamplerKind.FreshUniform) return false;
        if (key == "earlyStopping" && !(c.ValidationFraction > 0)) return false;
        return true;
    }
}
