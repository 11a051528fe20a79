using System.Numerics;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Training;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Fitting;

/// <summary>
/// A run trained by a whole-batch solver: its session, with the solver bound to the training set. lbfgs minimises
/// the mean squared error plus (weightDecay/2)‖θ‖²; lm the same sum of squares with the same penalty, or with
/// Bayesian regularisation's own; with the minimax objective, lm inside Lawson's reweighting (<see cref="LawsonMinimax"/>).
/// </summary>
internal static class WholeBatchSetup
{
    /// <param name="start">Parameters to start from instead of the initialisation (a stage that goes on from the best so far).</param>
    public static SolverSession<T> Create<T>(RunConfig c, Problem p, double[]? start = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var network = SessionFactory.InitialNetwork<T>(c, p, start);
        var shape = network.Shape;
        if (c.Init.Kind == Networks.InitKind.NguyenWidrow && start is null) StartAtLeastSquares(network, p);
        // lm's Jacobian block holds samples × outputs columns: fewer samples per block with several outputs keep it as large
        var data = new NetworkData(shape, p.Training, p.Normalization,
            c.Optimizer == OptimizerKind.Lm ? Math.Max(1, NetworkLeastSquares.BlockSizeFor(shape.ParameterCount) / shape.Outputs) : NetworkObjective.BlockSizeFor(shape));
        IWholeBatchSolver solver = c.Optimizer switch
        {
            OptimizerKind.Lbfgs => new Lbfgs(new NetworkObjective(data, c.WeightDecay)),
            OptimizerKind.Lm when c.Objective == ObjectiveKind.Minimax => new LawsonMinimax(new NetworkLeastSquares(data), LmOptions(c, p)),
            OptimizerKind.Lm => new LevenbergMarquardt(new NetworkLeastSquares(data), LmOptions(c, p)),
            _ => throw new ArgumentException($"{c.Optimizer.Name()} is a step optimizer", nameof(c)),
        };
        return new SolverSession<T>(network, solver, c.Steps, data);
    }

    static LevenbergMarquardtOptions LmOptions(RunConfig c, Problem p)
    {
        var options = new LevenbergMarquardtOptions
        {
            Ridge = 0.5 * p.Training.Count * c.WeightDecay, // N·(λ/2)‖θ‖²: the step optimizers' penalty, in units of Σr²
            Bayesian = c.Regularization == RegularizationKind.Bayesian,
        };
        // A ReLU-family network's loss is piecewise quadratic in its parameters, and lm's Gauss–Newton model is exact on
        // each piece: once no kink crosses a training point any more, one step reaches that piece's least squares and the
        // next ones gain only rounding (the 1-50-10-1 network on ln(x): relative falls of 1e-3, then 5e-10, 1e-13, 2e-13,
        // then 18 failed steps while μ climbs to its maximum, a third of the run's time). Two falls in a row below 1e-9 of
        // the loss (5e-10 of the RMS error, far below the three digits any metric shows) end the run. Smooth networks
        // keep the general rule: their steps can shrink and then pick up again.
        return c.Activation.IsReluFamily() ? options with { RelativeTolerance = PiecewiseTolerance, StallIterations = 2 } : options;
    }

    const double PiecewiseTolerance = 1e-9;

    /// <summary>
    /// Nguyen–Widrow puts the hidden layers' bends where the data are; the output layer then starts at its least-squares
    /// fit rather than at random (<see cref="Networks.LeastSquaresStart"/>), so a solver starts from the best spline
    /// on those knots and only has to move them. Measured on the question's 1-50-10-1 ReLU network fitting ln by lm
    /// (seeds 1–8, 40 iterations): the first loss falls from 0.5–13 to about 1e-6 (normalised units), and the final
    /// max |error| from 7.1e-4–2.4e-2 to 7.7e-4–1.2e-3; the default tanh fits keep r² = 1.0000000.
    /// </summary>
    static void StartAtLeastSquares<T>(Networks.Mlp<T> network, Problem p) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = SessionFactory.NormalizedInputs(p);
        int k = p.Training.Outputs;
        var y = p.Training.Y.ToArray().Select((v, i) => p.Normalization.Targets[i % k].Forward(v)).ToArray();
        var theta = network.Parameters.Select(double.CreateChecked).ToArray();
        if (Networks.LeastSquaresStart.Apply(network.Shape, theta, x, y))
            for (int i = 0; i < theta.Length; i++) network.Parameters[i] = T.CreateChecked(theta[i]);
    }

    /// <summary>
    /// The settings a whole-batch solver does not use that are set to something other than their conventional value
    /// (judged by value, not by who set it, so a run resumed from its effective configuration says the same).
    /// </summary>
    public static IEnumerable<string> IgnoredSettings(RunConfig c)
    {
        if (!c.Optimizer.IsWholeBatch()) yield break;
        var conventional = new RunConfig();
        foreach (var key in new[] { "learningRate", "schedule", "batchSize", "dropout", "clipNorm" })
            if (!System.Text.Json.Nodes.JsonNode.DeepEquals(Settings.ByKey[key].Effective(c), Settings.ByKey[key].Effective(conventional)))
                yield return key;
    }
}
