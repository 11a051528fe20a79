using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Diagnostics.Probes;

/// <summary>
/// The fixed inputs at which the network's inner state is measured: points spread over the domain (where the
/// fitted function lives) and a sample of the training data (where the loss and gradients come from).
/// Sizes are small so probes cost a few percent of training time.
/// </summary>
/// <param name="DomainGrid">
/// For one or two inputs, an even grid over the training domain. From three inputs on, a grid of 256 points has
/// too few values per input to say anything (two per input at eight inputs: the box's corners), so the points are
/// taken from the evaluation set, which is where the fit is judged (spread to fill the space when it is sampled so).
/// For a data file, whose rows are all there is of the function, they are its rows: the test rows, then training rows.
/// </param>
internal sealed record ProbeSet(SampleSet DomainGrid, SampleSet TrainingSample)
{
    public const int GridPoints = 256;
    public const int TrainingPoints = 128;

    public static ProbeSet For(Problem problem)
    {
        var training = problem.Training;
        int take = Math.Min(TrainingPoints, training.Count);
        var sample = training.Select(Evenly(training.Count, take));
        return new ProbeSet(DomainPoints(problem), sample);
    }

    static SampleSet DomainPoints(Problem problem)
    {
        if (problem.IsDataset)
        {
            var test = ReferenceEquals(problem.EvaluationSet, problem.Training) ? SampleSet.Empty(problem.InputCount) : problem.EvaluationSet;
            var first = test.Select(Evenly(test.Count, Math.Min(GridPoints, test.Count)));
            int more = Math.Min(GridPoints - first.Count, problem.Training.Count);
            return Concat(first, problem.Training.Select(Evenly(problem.Training.Count, more)));
        }
        if (problem.InputCount >= 3)
        {
            var evaluation = problem.EvaluationSet;
            return evaluation.Select(Evenly(evaluation.Count, Math.Min(GridPoints, evaluation.Count)));
        }
        var grid = PointSets.Grid(problem.Domain, GridPoints);
        var y = new double[grid.Length / problem.InputCount];
        problem.Function.Evaluate(grid, y);
        return new SampleSet(grid, y, problem.InputCount);
    }

    /// <summary>take indices spread evenly over 0..count−1.</summary>
    static IEnumerable<int> Evenly(int count, int take) => Enumerable.Range(0, take).Select(i => (int)((long)i * count / take));

    static SampleSet Concat(SampleSet a, SampleSet b) => a.Concat(b);
}
