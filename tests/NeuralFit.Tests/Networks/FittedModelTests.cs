using NeuralFit.Networks;
using NeuralFit.Tests.Persistence;

namespace NeuralFit.Tests.Networks;

/// <summary>A fitted model is shared freely: predictions from several threads at once are those of one thread alone.</summary>
public class FittedModelTests
{
    [Fact]
    public void PredictionsFromSeveralThreadsAtOnceEqualThoseOfOne()
    {
        var model = TestModels.Trained(Activation.Gelu).Model;
        var inputs = Enumerable.Range(0, 8).Select(t => Enumerable.Range(0, 1500 + 97 * t).Select(i => -2 + 5.0 * i / (1500 + 97 * t)).ToArray()).ToArray();
        var alone = inputs.Select(x => model.Predict(x.AsSpan())).ToArray();

        using var start = new Barrier(inputs.Length);
        var together = new double[inputs.Length][][];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = inputs.Length }, t =>
        {
            start.SignalAndWait();
            together[t] = Enumerable.Range(0, 30).Select(_ => model.Predict(inputs[t].AsSpan())).ToArray();
        });

        for (int t = 0; t < inputs.Length; t++)
            foreach (var run in together[t]) Assert.Equal(alone[t], run);
    }
}
