using NeuralFit.Benchmarking;
using NeuralFit.Configuration;
using NeuralFit.Networks;
using NeuralFit.Tests.Networks;
using NeuralFit.Training;

namespace NeuralFit.Tests.Training;

/// <summary>Large batches split into chunks: the same numbers on any number of cores, the same gradient as one pass, no allocation.</summary>
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
        Assert.Equal(3, session.Workspace.Plan.Chunks.Count);
        // segments in the whole batch and in each chunk: the step builds their tables once and merges the chunks' sums
        Assert.NotNull(session.Workspace.Plan.Segments);
        double chunked = session.LossAndGradient(Wide.Batch);
        var gradient = (double[])session.Gradient.Clone();

        var ws = session.Workspace;
        var plain = new double[gradient.Length];
        session.Network.Forward(ws, Wide.Batch);
        double loss = MeanSquaredError.LossAndGradient<double>(ws.Output.AsSpan(0, Wide.Batch), ws.Target.AsSpan(0, Wide.Batch), ws.Delta[^1].AsSpan(0, Wide.Batch));
        session.Network.Backward(ws, Wide.Batch, plain);
        Assert.True(Math.Abs(chunked - loss) <= 1e-12 * Math.Abs(loss), $"loss {chunked} vs {loss}");
        Approx.AssertClose(plain, gradient, 1e-10, "chunked gradient");
    }

    [Fact]
    public void OnlyLargeTrainingBatchesWithoutDropoutAreSplit()
    {
        var shape = new NetworkShape(1, [8], 1, Activation.Relu);
        Assert.Equal([1023], KernelPlan<float>.For(shape, 1023, KernelPlanInputs.TrainingStep).Chunks);
        Assert.Equal([512, 512], KernelPlan<float>.For(shape, 1024, KernelPlanInputs.TrainingStep).Chunks);
        Assert.Equal([1024], KernelPlan<float>.For(shape, 1024, KernelPlanInputs.TrainingStep with { Dropout = true }).Chunks);
        Assert.Equal([1024], KernelPlan<float>.For(shape, 1024, KernelPlanInputs.Prediction).Chunks);
    }

    [Fact]
    public void AChunkedStepOnTwoCoresAllocatesNothing()
    {
        var session = StepBenchmark.Session<float>(Wide with { Threads = 2 });
        for (int i = 0; i < 100; i++) StepBenchmark.Step(session);
        // Each thread's own count: the caller's, and the workers' while they run chunks (the test host's threads
        // allocate now and then, so a whole-process count would not say anything about the step).
        var (caller, workers) = StepAllocation.Least(() => { for (int i = 0; i < 50; i++) StepBenchmark.Step(session); });
        Assert.Equal(0, caller);
        Assert.Equal(0, workers);
    }
}

/// <summary>The step workers run every item of every call exactly once, whoever claims it.</summary>
public class StepWorkersTests
{
    [Fact]
    public void EveryItemRunsOncePerCall()
    {
        var work = new Counting(7);
        for (int call = 0; call < 2000; call++) StepWorkers.Run(work, 7, 2);
        Assert.All(work.Counts, c => Assert.Equal(2000, c));
    }

    [Fact]
    public void AFailingItemIsReportedToTheCaller()
    {
        var e = Assert.Throws<AggregateException>(() => StepWorkers.Run(new Failing(), 4, 2));
        Assert.IsType<InvalidOperationException>(e.InnerException);
        var work = new Counting(3);
        StepWorkers.Run(work, 3, 2); // and the crew still works afterwards
        Assert.All(work.Counts, c => Assert.Equal(1, c));
    }

    sealed class Counting(int items) : IParallelWork
    {
        public readonly int[] Counts = new int[items];
        public void Run(int item) => Interlocked.Increment(ref Counts[item]);
    }

    sealed class Failing : IParallelWork
    {
        public void Run(int item)
        {
            if (item == 2) throw new InvalidOperationException("item 2");
        }
    }
}
