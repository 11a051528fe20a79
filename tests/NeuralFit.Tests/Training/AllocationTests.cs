using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Fitting;
using NeuralFit.Tests.Fitting;
using NeuralFit.Training;

namespace NeuralFit.Tests.Training;

/// <summary>After warm-up, a training step (batch, forward, loss, backward, optimizer) allocates nothing.</summary>
public class AllocationTests
{
    /// <summary>Batches of 500 through one layer of 100 units take the one-input segments (the batch rearranged every
    /// step); the question's network, at batch 100, the products.</summary>
    [Theory]
    [InlineData(OptimizerKind.Adam, SamplerKind.FreshUniform, Precision.Float32, 100)]
    [InlineData(OptimizerKind.Adam, SamplerKind.FreshUniform, Precision.Float32, 500)]
    [InlineData(OptimizerKind.Sgd, SamplerKind.Uniform, Precision.Float64, 100)]
    [InlineData(OptimizerKind.Sgd, SamplerKind.Uniform, Precision.Float64, 500)]
    [InlineData(OptimizerKind.Nesterov, SamplerKind.Grid, Precision.Float32, 100)]
    [InlineData(OptimizerKind.RmsProp, SamplerKind.Uniform, Precision.Float32, 100)]
    public void ATrainingStepAllocatesZeroBytes(OptimizerKind optimizer, SamplerKind sampler, Precision precision, int batch)
    {
        var config = QuestionScenarioTests.Question(steps: 1_000_000) with
        {
            Optimizer = optimizer, Sampler = sampler, Precision = precision, Samples = 2000, BatchSize = batch,
            Layers = batch == 500 ? [100] : [50, 10],
            Init = new InitSpec(InitKind.HeNormal), BiasInit = InitSpec.Zeros, LearningRate = 1e-3, ClipNorm = 10,
        };
        var problem = Problem.Create(config);
        var (bytes, segments) = precision == Precision.Float64 ? Measure<double>(config, problem) : Measure<float>(config, problem);
        Assert.Equal(0, bytes);
        Assert.Equal(batch == 500, segments);
    }

    static (long Bytes, bool Segments) Measure<T>(RunConfig config, Problem problem) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var session = SessionFactory.Create<T>(config, problem);
        void Step()
        {
            int n = session.Batches.Next(session.Workspace.Batch);
            session.LossAndGradient(n);
            session.ClipGradient();
            session.Optimizer.Step(session.Network.Parameters, session.Gradient, session.Schedule.Rate(session.Step + 1));
            session.Step++;
        }
        for (int i = 0; i < 50; i++) Step(); // warm-up: JIT tiers, first shuffles
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 200; i++) Step();
        return (GC.GetAllocatedBytesForCurrentThread() - before, session.Workspace.Plan.Segments is { Active: true });
    }
}
