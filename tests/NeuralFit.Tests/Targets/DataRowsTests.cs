using System.Globalization;
using System.Runtime.InteropServices;
using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Sampling;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Targets;

/// <summary>A data set's rows are held once: a fit's shares are parts of one store, and reading keeps no more than the
/// values. Tested by structure (which array a share is part of, bytes allocated per row), not by time.</summary>
public class DataRowsTests
{
    /// <summary>Rows 0..n−1 of 2 inputs and 1 target, each value telling its row.</summary>
    static (double[] X, double[] Y) Rows(int n) =>
        (Enumerable.Range(0, 2 * n).Select(i => i / 2 + 0.25 * (i % 2)).ToArray(), Enumerable.Range(0, n).Select(i => -i - 0.5).ToArray());

    static double[] ArrayOf(ReadOnlyMemory<double> m) => MemoryMarshal.TryGetArray(m, out var segment) ? segment.Array! : throw new InvalidOperationException("not an array");

    [Fact]
    public void TheFirstSplitIsViewsOfOneStoreHoldingTheRowsSplitOffWouldGive()
    {
        var (x, y) = Rows(1000);
        var fileOrder = new SampleSet((double[])x.Clone(), (double[])y.Clone(), 2);
        var rows = new DataRows(x, y, 2);
        var config = new RunConfig { TestFraction = 0.15, ValidationFraction = 0.2, Seed = 7 };
        var (training, validation, test) = Problem.SplitRows(config, new Dataset("d", ["a", "b"], "y", rows));

        // no copy: the three shares and the rest are consecutive runs of the arrays the store was given
        foreach (var share in new[] { training, validation, test })
        {
            Assert.Same(x, ArrayOf(share.X));
            Assert.Same(y, ArrayOf(share.Y));
        }
        Assert.Equal(1000, training.Count + validation.Count + test.Count);

        // the same rows, in the same order, as copies made by SplitOff on the file's order
        var (rest, expectedTest) = fileOrder.SplitOff(0.15, RandomStreams.TestSplit(7));
        var (expectedTraining, expectedValidation) = rest.SplitOff(0.2, RandomStreams.Split(7));
        Assert.Equal(expectedTraining.X.ToArray(), training.X.ToArray());
        Assert.Equal(expectedTraining.Y.ToArray(), training.Y.ToArray());
        Assert.Equal(expectedValidation.Y.ToArray(), validation.Y.ToArray());
        Assert.Equal(expectedTest.X.ToArray(), test.X.ToArray());
        Assert.Equal(expectedTest.Y.ToArray(), test.Y.ToArray());

        // asked again, the same views; the file's order is still there to read
        var again = Problem.SplitRows(config, new Dataset("d", ["a", "b"], "y", rows));
        Assert.Same(training, again.Training);
        Assert.Equal(fileOrder.Y.ToArray(), rows.Select(Enumerable.Range(0, 1000)).Y.ToArray());
        Assert.Equal(rest.Y.ToArray(), rows.RestInFileOrder(0.15, RandomStreams.TestSplit(7)).Y.ToArray());
        int[] some = [999, 0, 500, 3, 3, 731];
        Assert.Equal(fileOrder.Select(some).X.ToArray(), rows.Select(some).X.ToArray()); // worked out again from the split's streams
    }

    [Theory]
    [InlineData(1000, 0.15, 1UL)]
    [InlineData(722_500, 32_100.0 / 722_500, 3UL)]
    [InlineData(7, 0.5, 2UL)]
    [InlineData(10, 0.01, 4UL)]
    public void ChosenIndicesAreTheOnesSplitIndicesSplitsOff(int count, double fraction, ulong seed)
    {
        var (_, expected) = SampleSet.SplitIndices(count, fraction, new Rng(seed));
        var rng = new Rng(seed);
        Assert.Equal(expected, SampleSet.ChosenIndices(count, fraction, rng));
        var after = new Rng(seed);
        SampleSet.SplitIndices(count, fraction, after);
        Assert.Equal(after.NextUInt64(), rng.NextUInt64()); // the stream goes on from the same place
    }

    [Fact]
    public void AnotherSplitOfArrangedRowsIsCopiesOfTheRightRows()
    {
        var (x, y) = Rows(500);
        var fileOrder = new SampleSet((double[])x.Clone(), (double[])y.Clone(), 2);
        var data = new Dataset("d", ["a", "b"], "y", new DataRows(x, y, 2));
        Problem.SplitRows(new RunConfig { ValidationFraction = 0.15, Seed = 1 }, data);
        var other = Problem.SplitRows(new RunConfig { TestFraction = 0.3, ValidationFraction = 0, Seed = 2 }, data);
        Assert.NotSame(x, ArrayOf(other.Training.X));
        var (rest, test) = fileOrder.SplitOff(0.3, RandomStreams.TestSplit(2));
        Assert.Equal(rest.X.ToArray(), other.Training.X.ToArray());
        Assert.Equal(test.Y.ToArray(), other.Test.Y.ToArray());
        Assert.Equal(0, other.Validation.Count);
    }

    [Fact]
    public void AFitOfArraysLeavesTheCallersArraysAsTheyWere()
    {
        var x = new double[300, 1];
        var y = new double[300];
        for (int i = 0; i < 300; i++) (x[i, 0], y[i]) = (i / 300.0, Math.Sin(3 * i / 300.0));
        var (xBefore, yBefore) = ((double[,])x.Clone(), (double[])y.Clone());
        new NeuralFit.Estimators.NetworkRegressor(new FitOptions { Layers = [4], Steps = 5 }).Fit(x, y);
        Assert.Equal(xBefore, x);
        Assert.Equal(yBefore, y);
    }

    /// <summary>
    /// Reading keeps the numbers and nothing per row beside them: twice the rows allocate the values' bytes more (8 a
    /// value, written straight into the arrays sized by the file's lines), within 5 %, however the rows are written.
    /// </summary>
    [Fact]
    public void ReadingAllocatesTheValuesAloneForEachRow()
    {
        string Write(int n)
        {
            string path = Path.Combine(Path.GetTempPath(), $"nf-rows-{Guid.NewGuid():N}.csv");
            var rng = new Rng(3);
            using var w = new StreamWriter(path);
            w.WriteLine("x1,x2,x3,x4,x5,x6,x7,x8,y");
            for (int i = 0; i < n; i++)
                w.WriteLine(string.Join(",", Enumerable.Range(0, 9).Select(_ => rng.Uniform(0, 1).ToString("R", CultureInfo.InvariantCulture))));
            return path;
        }
        long Allocated(string path)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            var values = CsvTable.ReadValues(path, "d.csv", DataColumns.All, targets: 1);
            long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.Equal(8, values.Columns.Length - 1);
            return bytes;
        }
        var (small, large) = (Write(20_000), Write(40_000));
        try
        {
            Allocated(small); // first use: the parser's tables
            long extra = Allocated(large) - Allocated(small);
            long values = 20_000L * 9 * sizeof(double);
            Assert.InRange(extra, values * 95 / 100, values * 105 / 100);
        }
        finally
        {
            File.Delete(small);
            File.Delete(large);
        }
    }
}
