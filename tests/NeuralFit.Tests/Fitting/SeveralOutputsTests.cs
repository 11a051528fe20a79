using Microsoft.CodeAnalysis;
using Microsoft.ML.OnnxRuntime;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Networks;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;
using NeuralFit.Sampling;
using NeuralFit.Tests.Networks;
using NeuralFit.Tests.Persistence;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Tests.Fitting;

/// <summary>
/// Several outputs end to end, on small networks: a fit of two expressions and of two data columns (r2 per output),
/// the Jacobian lm uses against finite differences, and the model file, ONNX Runtime and the C# export against the
/// model's own predictions.
/// </summary>
public class SeveralOutputsTests
{
    static FitResult TwoExpressions(OptimizerKind? optimizer = null) => FitRunner.Run(new FitOptions
    {
        Targets = ["sin(3*x)", "x^2 - 0.5"], Domain = [new Interval(-1, 1)],
        Layers = [12], Steps = 60, Samples = 200, Sampler = SamplerKind.Grid, MaxSeconds = 20, Optimizer = optimizer,
    });

    static readonly Lazy<FitResult> Fitted = new(() => TwoExpressions());

    [Fact]
    public void TwoTargetExpressionsAreFittedByOneNetworkWithTwoOutputs()
    {
        var r = Fitted.Value;
        Assert.Equal(2, r.Model.OutputCount);
        Assert.Equal(["y1", "y2"], r.Model.TargetNames);
        Assert.Equal(2, r.Evaluation.PerOutput.Count);
        foreach (var o in r.Evaluation.PerOutput) Assert.True(o.R2 > 0.999, $"{o.OutputName}: r2 {o.R2}");
        Assert.Equal(r.Evaluation.PerOutput.Average(o => o.Mse), r.Evaluation.Mse, 12);
        Assert.Equal(r.Evaluation.PerOutput.Max(o => o.MaxAbsError), r.Evaluation.MaxAbsError);
        var y = r.Model.PredictOutputs(0.4);
        Assert.Equal(Math.Sin(1.2), y[0], 2);
        Assert.Equal(0.16 - 0.5, y[1], 2);
        var json = Results.ResultJson.Build(r);
        Assert.Equal(2, json["evaluation"]!["outputs"]!.AsArray().Count);
        Assert.Equal(2, json["config"]!["target"]!.AsArray().Count);
        Assert.Equal(["sin(3*x)", "x^2 - 0.5"], r.EffectiveOptions.Targets);
    }

    [Theory]
    [InlineData(OptimizerKind.Lbfgs)]
    [InlineData(OptimizerKind.Adam)]
    public void WholeBatchAndStepOptimizersTrainSeveralOutputs(OptimizerKind optimizer)
    {
        var r = TwoExpressions(optimizer);
        var first = Metrics(r);
        Assert.True(r.History[^1].Loss < r.History[0].Loss, $"{optimizer}: the loss did not fall ({r.History[0].Loss} → {r.History[^1].Loss})");
        Assert.Equal(2, first.Count);
    }

    static IReadOnlyList<NeuralFit.Evaluation.Evaluation> Metrics(FitResult r) => r.Evaluation.PerOutput;

    [Fact]
    public void TheJacobianOfEveryOutputMatchesFiniteDifferences()
    {
        var shape = new NetworkShape(2, [5, 4], 3, Activation.Tanh);
        var rng = new Rng(7);
        var theta = Enumerable.Range(0, shape.ParameterCount).Select(_ => rng.Uniform(-1, 1)).ToArray();
        int n = 6, k = shape.Outputs;
        var x = Enumerable.Range(0, n * 2).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n * k).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var problem = new NetworkLeastSquares(new NetworkData(shape, new SampleSet(x, y, 2, k), NeuralFit.Preprocessing.Normalization.None(2, k), n));
        Assert.Equal(n * k, problem.ResidualCount);
        var r = new double[n * k];
        var jacobian = new double[shape.ParameterCount * n * k];
        problem.ResidualsAndJacobian(theta, 0, n * k, r, jacobian);
        double h = 1e-6;
        var plus = new double[n * k];
        var minus = new double[n * k];
        for (int p = 0; p < shape.ParameterCount; p++)
        {
            var t = (double[])theta.Clone();
            t[p] += h;
            problem.Residuals(t, plus);
            t[p] -= 2 * h;
            problem.Residuals(t, minus);
            for (int i = 0; i < n * k; i++)
                Assert.True(Math.Abs((plus[i] - minus[i]) / (2 * h) - jacobian[p * n * k + i]) < 1e-7, $"∂r[{i}]/∂θ[{p}]");
        }
        Assert.Equal(r.Sum(v => v * v), problem.SumOfSquares(theta), 12);
    }

    /// <summary>Whole-batch passes over several blocks and lanes: the residuals of every output are in place (their squares
    /// sum to the pass's sum of squares, Jᵀ1 is the gradient of Σr at scale 1), and the numbers are the same on one core or two.</summary>
    [Fact]
    public void WholeBatchPassesOfSeveralOutputsAreTheSameOnAnyCoreCount()
    {
        var shape = new NetworkShape(2, [6], 2, Activation.Tanh);
        var rng = new Rng(9);
        int n = 1500, k = 2;
        var x = Enumerable.Range(0, n * 2).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var y = Enumerable.Range(0, n * k).Select(_ => rng.Uniform(-1, 1)).ToArray();
        var theta = Enumerable.Range(0, shape.ParameterCount).Select(_ => rng.Uniform(-1, 1)).ToArray();
        (double Sum, double[] Gradient, double[] Residuals, double[] JtOnes) Pass(int threads)
        {
            var data = new NetworkData(shape, new SampleSet(x, y, 2, k), NeuralFit.Preprocessing.Normalization.None(2, k), 128) { Threads = threads };
            Assert.True(data.LaneCount > 1);
            var gradient = new double[shape.ParameterCount];
            double sum = data.SumOfSquaresAndGradient(theta, gradient, 1.0);
            var r = new double[n * k];
            data.Residuals(theta, r);
            var jtOnes = new double[shape.ParameterCount];
            data.JacobianTransposeTimes(theta, r, jtOnes);
            Assert.Equal(sum, r.Sum(v => v * v), 9);
            Approx.AssertClose(gradient, jtOnes, 1e-12, "Jᵀr against the gradient of Σr²/2 at scale 1");
            return (sum, gradient, r, jtOnes);
        }
        var one = Pass(1);
        var two = Pass(2);
        Assert.Equal(one.Sum, two.Sum);
        Assert.Equal(one.Gradient, two.Gradient);
        Assert.Equal(one.Residuals, two.Residuals);
    }

    [Fact]
    public void TheModelFileKeepsEveryOutput()
    {
        var saved = Fitted.Value.ToSavedModel();
        var back = ModelFileReader.Parse(System.Text.Encoding.UTF8.GetBytes(ModelFile.ToJson(saved)), "two.json");
        Assert.Equal(["y1", "y2"], back.OutputNames);
        Assert.Equal(["sin(3*x)", "x^2 - 0.5"], back.Targets);
        var x = new[] { -0.9, 0.1, 0.7 };
        Approx.AssertClose(saved.Model.Predict(x), back.Model.Predict(x), 0, "predictions after loading");
    }

    [Fact]
    public void OnnxRuntimeGivesTheSameNByKPredictions()
    {
        var saved = Fitted.Value.ToSavedModel();
        var x = Enumerable.Range(0, 50).Select(i => -1 + i / 24.5).ToArray();
        using var session = new InferenceSession(OnnxExport.ToBytes(saved));
        Assert.Equal([-1, 2], session.OutputMetadata[OnnxExport.OutputName].Dimensions);
        Assert.Equal("y1,y2", session.ModelMetadata.CustomMetadataMap[OnnxExport.OutputNamesKey]);
        using var tensor = OrtValue.CreateTensorValueFromMemory(x.Select(v => (float)v).ToArray(), [x.Length, 1]);
        using var options = new RunOptions();
        using var results = session.Run(options, [OnnxExport.InputName], [tensor], [OnnxExport.OutputName]);
        Assert.Equal([x.Length, 2], results[0].GetTensorTypeAndShape().Shape);
        var actual = results[0].GetTensorDataAsSpan<float>().ToArray().Select(v => (double)v).ToArray();
        Assert.True(TestModels.MaxRelativeDifference(saved.Model.Predict(x), actual) <= 1e-5);
    }

    const string Harness = """
        public static class Harness
        {
            public static double[] Run(double x) => NeuralFitModels.Two.Predict(x);
            public static int Outputs => NeuralFitModels.Two.OutputCount;
        }
        """;

    [Fact]
    public void TheCSharpExportCompilesAndReturnsEveryOutput()
    {
        var saved = Fitted.Value.ToSavedModel();
        string code = CSharpExport.Generate(saved, "Two", "NeuralFitModels");
        var assembly = CSharpCompiler.Load(CSharpCompiler.Compile($"Two_{Guid.NewGuid():N}", OutputKind.DynamicallyLinkedLibrary, [code, Harness]));
        var harness = assembly.GetType("Harness")!;
        Assert.Equal(2, (int)harness.GetProperty("Outputs")!.GetValue(null)!);
        foreach (double x in new[] { -0.8, 0.05, 0.6 })
        {
            var y = (double[])harness.GetMethod("Run")!.Invoke(null, [x])!;
            Approx.AssertClose(saved.Model.PredictOutputs(x), y, 1e-12, $"C# export at {x}"); // float64: the kernels' fused multiply-adds round differently
        }
    }

    [Fact]
    public void TwoDataColumnsAreFittedWithR2PerOutput()
    {
        string dir = Directory.CreateTempSubdirectory("nf-two-").FullName;
        try
        {
            var rng = new Rng(3);
            var lines = new List<string> { "id,u,v,a,b" };
            for (int i = 0; i < 240; i++)
            {
                double u = rng.Uniform(-1, 1), v = rng.Uniform(-1, 1);
                lines.Add(FormattableString.Invariant($"{i},{u},{v},{Math.Sin(2 * u) + v * v},{u * v + 0.5 * u}"));
            }
            File.WriteAllLines(Path.Combine(dir, "two.csv"), lines);
            var config = ConfigReader.FromJson("""{"data": "two.csv", "targetColumns": ["a", "b"], "dropColumns": ["id"], "layers": [10], "optimizer": "lm", "steps": 80}""", "run.json", new FitOptions())
                with { BaseDirectory = dir };
            var r = FitRunner.Run(config);
            Assert.Equal(["a", "b"], r.Model.TargetNames);
            Assert.Equal(["u", "v"], r.Model.InputNames);
            foreach (var o in r.Evaluation.PerOutput) Assert.True(o.R2 > 0.99, $"{o.OutputName}: r2 {o.R2}");
            Assert.Equal(2, r.Splits!["train"].PerOutput.Count);
            Assert.True(r.Verdict.Fitted, r.Verdict.Line);
            Assert.Equal(2, r.Baseline!.Alphas.Count);
            Assert.Equal(["a", "b"], ConfigReader.ToJson(r.Config)["targetColumns"]!.AsArray().Select(n => n!.GetValue<string>()));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void TheArrayEstimatorFitsEveryColumnOfY()
    {
        int n = 120;
        var x = new double[n, 2];
        var y = new double[n, 2];
        var rng = new Rng(5);
        for (int i = 0; i < n; i++)
        {
            (x[i, 0], x[i, 1]) = (rng.Uniform(-1, 1), rng.Uniform(-1, 1));
            (y[i, 0], y[i, 1]) = (Math.Sin(2 * x[i, 0]) + x[i, 1], x[i, 0] * x[i, 1]);
        }
        var model = new NeuralFit.Estimators.NetworkRegressor(new FitOptions { Layers = [8], Optimizer = OptimizerKind.Lm, Steps = 80 }).Fit(x, y);
        Assert.Equal(2, model.OutputCount);
        Assert.Equal(["y1", "y2"], model.OutputNames);
        foreach (var o in model.Fit!.Evaluation.PerOutput) Assert.True(o.R2 > 0.99, $"{o.OutputName}: r2 {o.R2}");
        var predicted = model.PredictOutputs(new double[,] { { 0.3, -0.4 } });
        Assert.Equal(Math.Sin(0.6) - 0.4, predicted[0, 0], 1);
        Assert.Equal(-0.12, predicted[0, 1], 1);
        Assert.Throws<InvalidOperationException>(() => model.Predict(new double[,] { { 0.3, -0.4 } }));
        Assert.Throws<InputError>(() => { new NeuralFit.Estimators.NetworkRegressor().Diagnose(x, y); });
    }

    [Fact]
    public void OneTargetColumnReadsAndWritesAsTargetColumn()
    {
        var one = ConfigReader.FromJson("""{"data": "d.csv", "targetColumns": ["a"]}""", "run.json", new FitOptions());
        Assert.Equal("a", one.TargetColumn);
        Assert.Null(one.TargetColumns);
        Assert.Equal("a", ConfigReader.ToJson(one)["targetColumn"]!.GetValue<string>());
        Assert.False(ConfigReader.ToJson(one).ContainsKey("targetColumns"));
        var target = ConfigReader.FromJson("""{"target": "min(x, 1)"}""", "run.json", new FitOptions());
        Assert.Equal("min(x, 1)", target.Target); // one expression is never split at its commas
        Assert.Null(target.Targets);
    }

    [Fact]
    public void DiagnoseRefusesSeveralOutputsWithTheCommandForTheFirst()
    {
        var config = new FitOptions { Targets = ["x", "x^2"], Domain = [new Interval(0, 1)] };
        var e = Assert.Throws<InputError>(() => NeuralFit.Diagnostics.Diagnoser.Run(config));
        Assert.Contains("diagnose works on one output", e.Message);
        Assert.Contains("--target x", e.Message);
    }
}
