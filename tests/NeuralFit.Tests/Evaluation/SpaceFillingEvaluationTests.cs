using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Fitting;
using NeuralFit.Networks;
using NeuralFit.Preprocessing;
using NeuralFit.Sampling;
using NeuralFit.Targets;

namespace NeuralFit.Tests.Evaluation;

/// <summary>The evaluation of three or more inputs: Sobol points (as SciPy's), the same on every run, and a search for the worst point.</summary>
public class SpaceFillingEvaluationTests
{
    /// <summary>Points of <c>scipy.stats.qmc.Sobol(16, scramble=False).random(4096)</c> (SciPy 1.10.1), which uses the same Joe–Kuo table.</summary>
    [Fact]
    public void SobolPointsMatchSciPy()
    {
        var x = Sobol.Points(4096, 16);
        double[] p100 = [0.4140625, 0.2578125, 0.7734375, 0.7265625, 0.8828125, 0.7421875, 0.0234375, 0.4765625, 0.6328125, 0.6953125, 0.4609375, 0.6796875, 0.4765625, 0.8515625, 0.3203125, 0.4921875];
        double[] p4095 = [0.000244140625, 0.941162109375, 0.334228515625, 0.901611328125, 0.940185546875, 0.078857421875, 0.949462890625, 0.390869140625, 0.191650390625, 0.246337890625, 0.569580078125, 0.321533203125, 0.368896484375, 0.519775390625, 0.551025390625, 0.416748046875];
        Assert.Equal(p100, x.AsSpan(100 * 16, 16).ToArray());
        Assert.Equal(p4095, x.AsSpan(4095 * 16, 16).ToArray());
        Assert.Equal(32760.0, x.Sum());
    }

    /// <summary>The first 2^k points put exactly one point in each of the 2^k slabs along every input.</summary>
    [Fact]
    public void EverySlabOfEveryInputHoldsOnePoint()
    {
        const int n = 1024, d = 7;
        var x = Sobol.Points(n, d);
        for (int k = 0; k < d; k++)
        {
            var slabs = Enumerable.Range(0, n).Select(i => (int)(x[i * d + k] * n)).Order().ToArray();
            Assert.Equal(Enumerable.Range(0, n), slabs);
        }
    }

    [Fact]
    public void ThreeOrMoreInputsAreEvaluatedOnTheSameSobolPointsEveryRun()
    {
        var c = Defaults.Complete(FitOptions.ForTarget("x1*x2+x3", new Interval(0, 1), new Interval(-1, 1), new Interval(2, 3)));
        var a = Problem.Create(c);
        var b = Problem.Create(c with { Seed = 99 });
        Assert.Equal(EvaluationSamplings.Sobol, a.EvaluationSampling);
        Assert.True(a.EvaluationSet.Count >= 10_000, $"{a.EvaluationSet.Count} points");
        Assert.Equal(a.EvaluationSet.X, b.EvaluationSet.X); // the seed draws training data, never the evaluation
        Assert.Equal(a.EvaluationSet.Y, b.EvaluationSet.Y);
        var one = Problem.Create(Defaults.Complete(FitOptions.ForTarget("x1*x2", new Interval(0, 1), new Interval(0, 1))));
        Assert.Equal(EvaluationSamplings.Grid, one.EvaluationSampling);
    }

    /// <summary>
    /// A model that is exact but for a narrow bump between the sample's points: the sample sees little of it, the
    /// search from the worst sample points climbs to its top.
    /// </summary>
    [Fact]
    public void TheSearchFindsAPeakBetweenTheSamplePoints()
    {
        var domain = new[] { new Interval(0, 1), new Interval(0, 1), new Interval(0, 1) };
        var target = new ExpressionTarget("x1+x2+x3+exp(-((x1-0.3)^2+(x2-0.61)^2+(x3-0.47)^2)/0.0008)", 3);
        var model = new LinearModel(); // predicts x1+x2+x3: its error is the bump
        var x = PointSets.Sobol(domain, 512);
        var set = Problem.Sample(target, x);
        var prediction = model.Predict(x);
        var error = set.Y.ToArray().Select((y, i) => Math.Abs(prediction[i] - y)).ToArray();
        var found = WorstPointSearch.Run(target, model, domain, x, error);
        Assert.True(error.Max() < 0.6, $"sample max {error.Max():G3}");
        Assert.True(found.AbsError > 0.99, $"searched max {found.AbsError:G4} at ({string.Join(", ", found.X)})");
        Assert.Equal([0.3, 0.61, 0.47], found.X.Select(v => Math.Round(v, 2)));
    }

    sealed class LinearModel : FittedModel
    {
        public override NetworkShape Shape { get; } = new(3, [], 1, Activation.Linear);
        public override Normalization Normalization => throw new NotSupportedException();
        public override double[] ParametersAsDouble() => [1, 1, 1, 0];
        public override void Predict(ReadOnlySpan<double> x, Span<double> y)
        {
            for (int i = 0; i < y.Length; i++) y[i] = x[3 * i] + x[3 * i + 1] + x[3 * i + 2];
        }
    }
}
