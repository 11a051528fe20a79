using NeuralFit.Configuration;

namespace NeuralFit.Diagnostics;

/// <summary>
/// Which settings a run actually uses, so that a fix or a saved configuration never carries a key that would change
/// nothing. lbfgs and lm take the whole training set and choose their own steps (as <see cref="Fitting.WholeBatchSetup"/>
/// notes); Bayesian regularisation belongs to lm; a data file brings its own inputs; fresh sampling has no fixed set.
/// </summary>
public static class SettingUse
{
    /// <summary>What lbfgs and lm ignore: they take no learning rate, schedule, minibatch, dropout or gradient clip.</summary>
    public static readonly IReadOnlySet<string> WholeBatchIgnores = new HashSet<string> { "learningRate", "schedule", "batchSize", "dropout", "clipNorm" };

    static readonly HashSet<string> ExpressionOnly = ["target", "domain", "sampler", "samples", "evalDomain", "evalPoints"];
    static readonly HashSet<string> DataOnly = ["data", "targetColumn", "testFraction"];

    public static bool Uses(RunConfig c, string key)
    {
        if (c.Optimizer.IsWholeBatch() && WholeBatchIgnores.Contains(key)) return false;
        if (key == "regularization" && c.Optimizer != OptimizerKind.Lm) return false;
        if (c.Data is not null ? ExpressionOnly.Contains(key) : DataOnly.Contains(key)) return false;
        if (key == "samples" && c.Sampler == SamplerKind.FreshUniform) return false;
        if (key == "earlyStopping" && !(c.ValidationFraction > 0)) return false;
        return true;
    }
}
