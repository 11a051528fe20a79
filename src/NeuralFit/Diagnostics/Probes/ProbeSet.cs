using NeuralFit.Fitting;
using NeuralFit.Sampling;

namespace NeuralFit.Diagnostics.Probes;

/// <summary>
/// The fixed inputs at which the network's inner state is measured: an even grid over the training domain (where
/// the fitted function lives) and a sample of the training data (where the loss and gradients come from).
/// Sizes are small so probes cost a few percent of training time.
/// </summary>
public sealed record ProbeSet(SampleSet DomainGrid, SampleSet TrainingSample)
{
    public const int GridPoints = 256;
    public const int TrainingPoints = 128;

    public static ProbeSet For(Problem problem)
    {
        var grid = PointSets.Grid(problem.Domain, GridPoints);
        var y = new double[grid.Length / problem.InputCount];
        problem.Function.Evaluate(grid, y);
        var training = problem.Training;
        int take = Math.Min(TrainingPoints, training.Count);
        var sample = training.Select(Enumerable.Range(0, take).Select(i => (int)((long)i * training.Count / take)));
        return new ProbeSet(new SampleSet(grid, y, problem.InputCount), sample);
    }
}
