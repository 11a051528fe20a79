using System.Globalization;
using NeuralFit.Configuration;
using NeuralFit.Evaluation;
using NeuralFit.Networks;
using NeuralFit.Runs;
using NeuralFit.Sampling;
using NeuralFit.Training.Solvers;

// Does sampling toward where the error is large help? For each target, the same network (NeuralFit's default width)
// trains by lm twice with the same number of training points and of iterations in all:
//   plain:    n grid points, 500 iterations;
//   directed: n/2 grid points, then four rounds that each add the n/8 points of largest |error| among 20 000
//             uniform candidates, 100 iterations per round (the solver restarts on the grown set, from the weights).
// Printed: max |error| and MSE on the 1000-point evaluation grid, and the time.
var targets = new (string Target, string Domain)[]
{
    ("ln(x)", "0.01:1"), ("ln(x)", "0:1"), ("ln(x)", "0.001:1000"), ("sin(x^2)", "0:6"), ("abs(x)", "-1:1"), ("sqrt(x)", "0:1"),
};
Console.WriteLine($"{"target",-26} {"plain max",10} {"plain mse",10} {"s",5}   {"directed max",12} {"directed mse",12} {"s",5}");
foreach (var (target, domain) in targets)
{
    var config = Defaults.Complete(new FitOptions
    {
        Target = target, Domain = [Interval.Parse(domain, "domain")], Seed = 1,
    }) with { Sampler = SamplerKind.Grid, ValidationFraction = 0 };
    var plain = Train(config, config.Samples, rounds: 0, add: 0, iterations: 500);
    var directed = Train(config, config.Samples / 2, rounds: 4, add: config.Samples / 8, iterations: 100);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{target + " on " + domain,-26} {plain.Max,10:E2} {plain.Mse,10:E2} {plain.Seconds,5:F1}   {directed.Max,12:E2} {directed.Mse,12:E2} {directed.Seconds,5:F1}"));
}

static (double Max, double Mse, double Seconds) Train(RunConfig config, int samples, int rounds, int add, int iterations)
{
    var clock = System.Diagnostics.Stopwatch.StartNew();
    var problem = Problem.Create(config with { Samples = samples });
    var network = SessionFactory.InitialNetwork<double>(config with { Samples = samples }, problem);
    var training = problem.Training;
    var candidates = PointSets.Uniform(problem.Domain, 20000, new Rng(99));
    var candidateY = new double[candidates.Length];
    problem.Function.Evaluate(candidates, candidateY);
    var model = new FittedModel<double>(network, problem.Normalization);
    for (int round = 0; ; round++)
    {
        var data = new NetworkData(network.Shape, training, problem.Normalization, NetworkLeastSquares.BlockSizeFor(network.Shape.ParameterCount));
        var solver = new LevenbergMarquardt(new NetworkLeastSquares(data));
        for (int i = 0; i < iterations && !solver.Iterate(network.Parameters).Converged; i++) { }
        if (round == rounds) break;
        var prediction = model.Predict(candidates);
        var worst = Enumerable.Range(0, candidateY.Length).Where(i => double.IsFinite(candidateY[i]))
            .OrderByDescending(i => Math.Abs(prediction[i] - candidateY[i])).Take(add).ToArray();
        training = new SampleSet([.. training.X, .. worst.Select(i => candidates[i])], [.. training.Y, .. worst.Select(i => candidateY[i])], 1);
    }
    var e = Metrics.Compare(problem.EvaluationSet, model.Predict(problem.EvaluationSet.X.AsSpan()), "");
    return (e.MaxAbsError, e.Mse, clock.Elapsed.TotalSeconds);
}
