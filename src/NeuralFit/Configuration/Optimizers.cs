using System.Numerics;
using NeuralFit.Training.Optimizers;
using NeuralFit.Training.Solvers;

namespace NeuralFit.Configuration;

/// <summary>The step optimizer a configuration names, made with its settings.</summary>
internal static class StepOptimizers
{
    public static IStepOptimizer<T> Create<T>(OptimizerKind kind, int parameterCount, double weightDecay, StepOptimizerOptions? options = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var o = (options ?? new StepOptimizerOptions()) with { WeightDecay = weightDecay };
        return kind switch
        {
            OptimizerKind.Sgd => new Sgd<T>(parameterCount, weightDecay: o.WeightDecay),
            OptimizerKind.Momentum => new Sgd<T>(parameterCount, o.Momentum, nesterov: false, o.WeightDecay),
            OptimizerKind.Nesterov => new Sgd<T>(parameterCount, o.Momentum, nesterov: true, o.WeightDecay),
            OptimizerKind.RmsProp => new RmsProp<T>(parameterCount, o.Alpha, o.Epsilon, o.WeightDecay),
            OptimizerKind.Adam => new Adam<T>(parameterCount, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay),
            OptimizerKind.AdamW => new Adam<T>(parameterCount, o.Beta1, o.Beta2, o.Epsilon, o.WeightDecay, decoupledWeightDecay: true),
            _ => throw new ArgumentException($"{kind.Name()} is a whole-batch solver, not a step optimizer", nameof(kind)),
        };
    }

    /// <summary>Vectors of the parameters' length that an optimizer or solver of this kind keeps as its state
    /// (what a checkpoint holds besides the parameters).</summary>
    public static int StateVectorCount(this OptimizerKind kind, int parameters) => kind switch
    {
        OptimizerKind.Lm => SolverState.LevenbergMarquardtVectors(parameters),
        OptimizerKind.Lbfgs => SolverState.LbfgsVectors(parameters),
        _ => Create<double>(kind, 0, 0).StateVectors.Count,
    };
}
