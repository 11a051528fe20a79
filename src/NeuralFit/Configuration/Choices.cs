namespace NeuralFit.Configuration;

public enum OptimizerKind { Sgd, Momentum, Nesterov, RmsProp, Adam, AdamW, Lbfgs, Lm }

public enum SamplerKind { FreshUniform, Uniform, LogUniform, Grid, Chebyshev, LogGrid, Curvature }

public enum NormalizeMode { None, Inputs, Targets, Both, Auto }

public enum Precision { Float32, Float64 }

/// <summary>How a column is mapped to the network's units: standardised (zero mean, unit deviation), its range onto
/// [−1, 1], or auto (min-max for inputs, standardise targets).</summary>
public enum NormalizerKind { Auto, Standardize, MinMax }

/// <summary>What training minimises: the mean squared error, or the largest error (minimax).</summary>
public enum ObjectiveKind { Mse, Minimax }

/// <summary>Regularisation a whole-batch solver builds into its objective: none, or Bayesian (MacKay's evidence, for lm).</summary>
public enum RegularizationKind { None, Bayesian }

/// <summary>The spelling of every enumerated setting in configuration files and flags (kebab-case).</summary>
internal static class Choices
{
    public static readonly IReadOnlyDictionary<string, OptimizerKind> Optimizers = new Dictionary<string, OptimizerKind>
    {
        ["sgd"] = OptimizerKind.Sgd, ["momentum"] = OptimizerKind.Momentum, ["nesterov"] = OptimizerKind.Nesterov,
        ["rmsprop"] = OptimizerKind.RmsProp, ["adam"] = OptimizerKind.Adam, ["adamw"] = OptimizerKind.AdamW,
        ["lbfgs"] = OptimizerKind.Lbfgs, ["lm"] = OptimizerKind.Lm,
    };

    public static readonly IReadOnlyDictionary<string, SamplerKind> Samplers = new Dictionary<string, SamplerKind>
    {
        ["fresh-uniform"] = SamplerKind.FreshUniform, ["uniform"] = SamplerKind.Uniform,
        ["log-uniform"] = SamplerKind.LogUniform, ["grid"] = SamplerKind.Grid, ["chebyshev"] = SamplerKind.Chebyshev,
        ["log-grid"] = SamplerKind.LogGrid, ["curvature"] = SamplerKind.Curvature,
    };

    public static readonly IReadOnlyDictionary<string, NormalizeMode> Normalizations = new Dictionary<string, NormalizeMode>
    {
        ["none"] = NormalizeMode.None, ["inputs"] = NormalizeMode.Inputs, ["targets"] = NormalizeMode.Targets,
        ["both"] = NormalizeMode.Both, ["auto"] = NormalizeMode.Auto,
    };

    public static readonly IReadOnlyDictionary<string, Precision> Precisions = new Dictionary<string, Precision>
    {
        ["float32"] = Precision.Float32, ["float64"] = Precision.Float64,
    };

    public static readonly IReadOnlyDictionary<string, NormalizerKind> Normalizers = new Dictionary<string, NormalizerKind>
    {
        ["auto"] = NormalizerKind.Auto, ["standardize"] = NormalizerKind.Standardize, ["min-max"] = NormalizerKind.MinMax,
    };

    public static readonly IReadOnlyDictionary<string, RegularizationKind> Regularizations = new Dictionary<string, RegularizationKind>
    {
        ["none"] = RegularizationKind.None, ["bayesian"] = RegularizationKind.Bayesian,
    };

    public static readonly IReadOnlyDictionary<string, ObjectiveKind> Objectives = new Dictionary<string, ObjectiveKind>
    {
        ["mse"] = ObjectiveKind.Mse, ["minimax"] = ObjectiveKind.Minimax,
    };

    public static string Name<TEnum>(IReadOnlyDictionary<string, TEnum> table, TEnum value) where TEnum : struct, Enum =>
        table.First(p => EqualityComparer<TEnum>.Default.Equals(p.Value, value)).Key;

    public static string Name(this OptimizerKind v) => Name(Optimizers, v);
    public static string Name(this SamplerKind v) => Name(Samplers, v);
    public static string Name(this NormalizeMode v) => Name(Normalizations, v);
    public static string Name(this Precision v) => Name(Precisions, v);
    public static string Name(this NormalizerKind v) => Name(Normalizers, v);
    public static string Name(this RegularizationKind v) => Name(Regularizations, v);
    public static string Name(this ObjectiveKind v) => Name(Objectives, v);

    /// <summary>True for whole-batch solvers, which take an objective rather than one gradient per step.</summary>
    public static bool IsWholeBatch(this OptimizerKind v) => v is OptimizerKind.Lbfgs or OptimizerKind.Lm;
}
