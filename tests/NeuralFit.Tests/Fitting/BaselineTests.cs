using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Fitting;
using NeuralFit.Numerics;
using NeuralFit.Persistence;
using NeuralFit.Persistence.Onnx;
using NeuralFit.Results;
using NeuralFit.Sampling;

namespace NeuralFit.Tests.Fitting;

/// <summary>The linear baseline of data fits: ridge regression against a reference solve, and a network that must beat it.</summary>
public class BaselineTests
{
    static SampleSet Rows(int n, int d, Func<double[], double> f, double noise, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n * d];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = new double[d];
            for (int j = 0; j < d; j++) row[j] = x[i * d + j] = 4 * rng.NextDouble() - 1 + j;
            y[i] = f(row) + noise * (rng.NextDouble() + rng.NextDouble() + rng.NextDouble() - 1.5);
        }
        return new SampleSet(x, y, d);
    }

    /// <summary>
    /// At a fixed α the weights solve (ÃᵀÃ + diag(0, α, …, α))β = Ãᵀy with Ã = [1, standardised inputs], and the
    /// leave-one-out error equals refitting without each row in turn (the standardisation kept, as the formula assumes).
    /// </summary>
    [Fact]
    public void RidgeMatchesAReferenceSolveAndBruteForceLeaveOneOut()
    {
        var rows = Rows(40, 3, r => 2 * r[0] - r[1] + 0.3 * r[2] * r[2], noise: 1, seed: 3);
        const double alpha = 2.5;
        var ridge = RidgeRegression.Fit(rows, [alpha]);
        var a = Augmented(rows, ridge);
        var beta = Solve(a, rows.Y.ToArray(), Enumerable.Range(0, rows.Count).ToArray(), alpha);
        Assert.Equal(beta[0], ridge.Intercept, 1e-10);
        for (int j = 0; j < 3; j++) Assert.Equal(beta[j + 1], ridge.Weights[j], 1e-10);

        double sse = 0;
        for (int i = 0; i < rows.Count; i++)
        {
            var b = Solve(a, rows.Y.ToArray(), Enumerable.Range(0, rows.Count).Where(k => k != i).ToArray(), alpha);
            double r = rows.Y.Span[i] - Enumerable.Range(0, 4).Sum(j => a[i][j] * b[j]);
            sse += r * r;
        }
        Assert.Equal(sse / rows.Count, ridge.LeaveOneOutMse, 1e-9);
        var prediction = ridge.Predict(rows.X.Span);
        Assert.Equal(Enumerable.Range(0, 4).Sum(j => a[7][j] * beta[j]), prediction[7], 1e-10);
    }

    /// <summary>On the grid, α is the one with the lowest leave-one-out error: more noise, more shrinkage.</summary>
    [Fact]
    public void RidgeChoosesMoreShrinkageForNoisierRows()
    {
        var quiet = RidgeRegression.Fit(Rows(60, 4, r => r[0] + r[1], noise: 0.01, seed: 5));
        var noisy = RidgeRegression.Fit(Rows(60, 4, r => r[0] + r[1], noise: 30, seed: 5));
        Assert.True(noisy.Alpha > 10 * quiet.Alpha, $"α {quiet.Alpha:G3} quiet, {noisy.Alpha:G3} noisy");
    }

    [Fact]
    public void JacobiRebuildsTheMatrixFromItsEigenvectors()
    {
        double[] m = [4, 1, 0.5, 0, 1, 3, 0.2, 0.1, 0.5, 0.2, 2, 0.3, 0, 0.1, 0.3, 1e-9];
        var (values, v) = SymmetricEigen.Decompose(m, 4);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                Assert.Equal(m[i * 4 + j], Enumerable.Range(0, 4).Sum(k => v[i * 4 + k] * values[k] * v[j * 4 + k]), 1e-12);
    }

    /// <summary>A linear target under heavy noise: no network beats ridge on held-out rows, so the model is ridge — a
    /// network with no hidden layer that saves, loads and exports as any network does — and, its test error being
    /// down to the noise, the verdict calls it fitted: no model could do better on these rows.</summary>
    [Fact]
    public void OnLinearNoisyDataTheModelIsTheBaselineAndExportsAsANetwork()
    {
        using var folder = new TempFolder();
        string csv = Csv(folder.Path, Rows(150, 3, r => 3 * r[0] - 2 * r[1] + r[2], noise: 8, seed: 1));
        var r = FitRunner.Run(new FitOptions { Data = csv });
        Assert.True(r.UsesBaseline, string.Join("; ", r.Stages.Select(s => $"{s.Method} {s.Metric:G4}")));
        Assert.Empty(r.Model.Shape.Hidden);
        Assert.Equal(r.Baseline!.R2, r.Evaluation.R2, 1e-9);
        Assert.True(r.Verdict.Fitted, r.Verdict.Line);
        Assert.Contains("by the linear baseline, which no network beat", r.Verdict.Achieved);
        Assert.Contains("within the noise", r.Verdict.Achieved);
        Assert.Null(r.Verdict.Next);
        Assert.Equal("ridge", r.Stages[0].Method);
        Assert.Empty(r.Stages[0].Layers);

        string path = System.IO.Path.Combine(folder.Path, "linear.json");
        ModelFile.Save(r.ToSavedModel(), path);
        var loaded = ModelFile.Load(path);
        var x = r.Model.Predict(new double[] { 0.1, 0.2, 0.3 });
        Assert.Equal(x[0], loaded.Model.PredictPoint(0.1, 0.2, 0.3), 1e-12);
        Assert.NotEmpty(OnnxExport.ToBytes(loaded));
        Assert.Contains("Predict", CSharpExport.Generate(loaded, "Linear", "Models"));
    }

    /// <summary>A linear target without noise: the line is the model and meets an expression's standard on the test
    /// rows, so it is fitted, whatever the noise estimate (rounding errors against rounding errors) says.</summary>
    [Fact]
    public void ANoiselessLineIsFitted()
    {
        using var folder = new TempFolder();
        string csv = Csv(folder.Path, Rows(100, 3, r => r[0] - 2 * r[1] + 0.5 * r[2], noise: 0, seed: 6));
        var r = FitRunner.Run(new FitOptions { Data = csv });
        Assert.True(r.UsesBaseline, string.Join("; ", r.Stages.Select(s => $"{s.Method} {s.Metric:G4}")));
        Assert.True(r.Verdict.Fitted, r.Verdict.Line);
    }

    /// <summary>A target that is pure noise: whatever model wins, its held-out r2 is within what chance gives, so the
    /// verdict is a miss that says nothing was shown learnt — never "fitted", though the error is the noise's.</summary>
    [Fact]
    public void APureNoiseTargetIsNotFitted()
    {
        using var folder = new TempFolder();
        string csv = Csv(folder.Path, Rows(120, 2, _ => 0, noise: 1, seed: 4));
        var r = FitRunner.Run(new FitOptions { Data = csv });
        Assert.False(r.Verdict.Fitted, r.Verdict.Line);
        Assert.Contains("so nothing is shown learnt", r.Verdict.Achieved);
        Assert.True(r.Evaluation.R2 <= Verdict.ChanceR2(r.Evaluation.Points), r.Verdict.Line);
    }

    [Fact]
    public void ANonlinearTargetIsFittedByANetworkThatBeatsTheBaseline()
    {
        using var folder = new TempFolder();
        string csv = Csv(folder.Path, Rows(160, 2, r => Math.Sin(2 * r[0]) + 0.5 * r[1] * r[1], noise: 0.02, seed: 2));
        var r = FitRunner.Run(new FitOptions { Data = csv });
        Assert.False(r.UsesBaseline);
        Assert.True(r.Verdict.Fitted, r.Verdict.Line);
        Assert.True(r.Evaluation.R2 > r.Baseline!.R2 + 0.1, $"{r.Evaluation.R2} against {r.Baseline.R2}");
        var json = ResultJson.Build(r);
        Assert.Equal("ridge", json["baseline"]!["kind"]!.GetValue<string>());
        Assert.NotNull(json["evaluation"]!["splits"]!["train"]);
        Assert.NotNull(json["evaluation"]!["splits"]!["test"]);
        Assert.True(json["stages"]!.AsArray().Count >= 3);
    }

    static string Csv(string folder, SampleSet rows)
    {
        string path = System.IO.Path.Combine(folder, "rows.csv");
        var lines = new List<string> { string.Join(",", Enumerable.Range(1, rows.Inputs).Select(j => $"x{j}").Append("y")) };
        for (int i = 0; i < rows.Count; i++)
            lines.Add(string.Join(",", rows.Row(i).ToArray().Append(rows.Y.Span[i]).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllLines(path, lines);
        return path;
    }

    static double[][] Augmented(SampleSet rows, RidgeRegression ridge) =>
        Enumerable.Range(0, rows.Count).Select(i =>
            new[] { 1.0 }.Concat(Enumerable.Range(0, rows.Inputs).Select(j => ridge.Inputs[j].Forward(rows.Row(i)[j]))).ToArray()).ToArray();

    /// <summary>(AᵀA + diag(0, α, …))β = Aᵀy over the chosen rows, by Gaussian elimination with partial pivoting.</summary>
    static double[] Solve(double[][] a, double[] y, int[] rows, double alpha)
    {
        int m = a[0].Length;
        var g = new double[m, m + 1];
        foreach (int i in rows)
            for (int r = 0; r < m; r++)
            {
                g[r, m] += a[i][r] * y[i];
                for (int c = 0; c < m; c++) g[r, c] += a[i][r] * a[i][c];
            }
        for (int r = 1; r < m; r++) g[r, r] += alpha;
        for (int col = 0; col < m; col++)
        {
            int pivot = Enumerable.Range(col, m - col).MaxBy(r => Math.Abs(g[r, col]));
            for (int c = 0; c <= m; c++) (g[col, c], g[pivot, c]) = (g[pivot, c], g[col, c]);
            for (int r = 0; r < m; r++)
            {
                if (r == col) continue;
                double f = g[r, col] / g[col, col];
                for (int c = 0; c <= m; c++) g[r, c] -= f * g[col, c];
            }
        }
        return Enumerable.Range(0, m).Select(r => g[r, m] / g[r, r]).ToArray();
    }

    sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("nf-baseline-").FullName;
        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
