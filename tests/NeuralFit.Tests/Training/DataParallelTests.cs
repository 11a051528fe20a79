using NeuralFit.Benchmarking;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Tests.Networks;
using NeuralFit.Training;

namespace NeuralFit.Tests.Training;

/// <summary>Large batches split into chunks: the same numbers on any number of cores, the same gradient as one pass, no allocation.</summary>
[Collection(nameof(WholeProcessAllocation))]
public class DataParallelTests
{
    static readonly BenchCase Wide = new("test", [1, 64, 32, 1], 1536);

    [Fact]
    public void OneCoreAndTwoCoresGiveBitIdenticalRuns()
    {
        var one = StepBenchmark.Session<double>(Wide);
        var two = StepBenchmark.Session<double>(Wide with { Threads = 2 });
        for (int step = 0; step < 5; step++)
        {
            double lossOne = StepBenchmark.Step(one), lossTwo = StepBenchmark.Step(two);
            Assert.Equal(lossOne, lossTwo);
            Assert.Equal(one.Gradient, two.Gradient);
            Assert.Equal(one.Network.Parameters, two.Network.Parameters);
        }
    }

    [Fact]
    public void ChunkedGradientMatchesOnePass()
    {
        var session = StepBenchmark.Session<double>(Wide with { Threads = 2 });
        Assert.Equal(3, DataParallel<double>.ChunkCount(Wide.Batch));
        double chunked = session.LossAndGradient(Wide.Batch);
        var gradient = (double[])session.Gradient.Clone();

        var ws = session.Workspace;
        var plain = new double[gradient.Length];
        session.Network.Forward(ws, Wide.Batch);
        double loss = MeanSquaredError.LossAndGradient<double>(ws.Output.AsSpan(0, Wide.Batch), ws.Target.AsSpan(0, Wide.Batch), ws.Delta[^1].AsSpan(0, Wide.Batch));
        session.Network.Backward(ws, Wide.Batch, plain);
        Assert.True(Math.Abs(chunked - loss) <= 1e-12 * Math.Abs(loss), $"loss {chunked} vs {loss}");
        KernelTests.AssertClose(plain, gradient, 1e-10, "chunked gradient");
    }

    [Fact]
    public void SmallBatchesAreNotSplit()
    {
        Assert.Equal(1, DataParallel<float>.ChunkCount(1023));
        Assert.Equal(2, DataParallel<float>.ChunkCount(1024));
    }

    [Fact]
    public void AChunkedStepOnTwoCoresAllocatesNothing() => WholeProcessAllocation.AssertNone(() =>
    {
        var session = StepBenchmark.Session<float>(Wide with { Threads = 2 });
        for (int i = 0; i < 100; i++) StepBenchmark.Step(session);
        return () => StepBenchmark.Step(session);
    });
}

/// <summary>
/// Allocation counted over the whole process (the step's worker threads included), so the test runs alone:
/// the collection below is never run beside another test.
/// </summary>
[CollectionDefinition(nameof(WholeProcessAllocation), DisableParallelization = true)]
public sealed class WholeProcessAllocation
{
    /// <summary>Sets up (warm-up included), then checks 50 calls of the returned step allocate nothing anywhere.</summary>
    public static void AssertNone(Func<Action> setUp)
    {
        var step = setUp();
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int i = 0; i < 50; i++) step();
        Assert.Equal(0, GC.GetTotalAllocatedBytes(precise: true) - before);
    }
}
