using System.Collections.Concurrent;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Persistence;
using NeuralFit.Fitting;

namespace NeuralFit.Tests.Persistence;

/// <summary>
/// Small trained models shared by the export tests: one per activation and precision, trained briefly with
/// both normalisers on, so weights, biases and the normaliser's shifts and scales are all far from trivial.
/// </summary>
static class TestModels
{
    static readonly ConcurrentDictionary<(Activation, Precision, int), Lazy<SavedModel>> Cache = new();

    public static IEnumerable<object[]> Activations => Enum.GetValues<Activation>().Select(a => new object[] { a });

    public static SavedModel Trained(Activation activation, Precision precision = Precision.Float32, int inputs = 1) =>
        Cache.GetOrAdd((activation, precision, inputs), key => new Lazy<SavedModel>(() => Train(key.Item1, key.Item2, key.Item3))).Value;

    static SavedModel Train(Activation activation, Precision precision, int inputs)
    {
        var config = new FitOptions
        {
            Target = inputs == 1 ? "3*sin(2*x) + x^2 + 10" : "sin(x1) * cos(2*x2) + 5",
            Domain = inputs == 1 ? [new Interval(-2, 3)] : [new Interval(-2, 2), new Interval(0, 3)],
            Layers = [12, 8],
            Activation = activation,
            Normalize = NormalizeMode.Both,
            Steps = 300,
            Precision = precision,
            Seed = 7,
            // Adam, as the tolerances of the export tests were set for its weights; left to NeuralFit this would be lm,
            // whose steeper float32 weights amplify float32 rounding in the model itself (1e-6 relative against C#'s doubles).
            Optimizer = OptimizerKind.Adam,
        };
        return FitRunner.Run(config).ToSavedModel();
    }

    /// <summary>n points spread over the domain and a little beyond it (exports must agree off the domain too), row-major.</summary>
    public static double[] Points(SavedModel model, int n)
    {
        int d = model.Model.Shape.Inputs;
        var rng = new Random(11);
        var x = new double[n * d];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < d; k++)
            {
                var r = model.Domain[k];
                x[i * d + k] = r.Lo - 0.1 * r.Width + 1.2 * r.Width * rng.NextDouble();
            }
        return x;
    }

    /// <summary>|a − b| / max(|a|, 1): relative for large values, absolute near zero, where relative error explodes.</summary>
    public static double MaxRelativeDifference(double[] expected, double[] actual) =>
        expected.Zip(actual, (a, b) => Math.Abs(a - b) / Math.Max(1, Math.Abs(a))).Max();

    /// <summary>|a − b| / |a| over the values with |a| ≥ 0.01: the plain relative difference, reported beside the other.</summary>
    public static double MaxPlainRelativeDifference(double[] expected, double[] actual) =>
        expected.Zip(actual, (a, b) => Math.Abs(a) >= 0.01 ? Math.Abs(a - b) / Math.Abs(a) : 0).Max();
}
