using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Targets;

/// <summary>Reading data files: what is accepted, and a clear error naming the line for everything else.</summary>
public class CsvTests
{
    [Fact]
    public void AHeaderAndRowsOfNumbers()
    {
        var t = CsvTable.FromText("\uFEFFx1, x2 ,\"y\"\r\n1,2,3\r\n\r\n4.5e-1, -2 ,\"6\"\n");
        Assert.Equal(["x1", "x2", "y"], t.Columns);
        Assert.Equal(2, t.RowCount);
        Assert.Equal([1.0, 2, 3, 0.45, -2, 6], t.Values);
    }

    /// <summary>A quote opens a quoted field only at the field's start, as Python's csv module reads it: an inch
    /// mark in a label stays in the label and does not swallow the lines after it.</summary>
    [Fact]
    public void AQuoteInsideAnUnquotedFieldIsText()
    {
        var t = CsvTable.FromText("label,x,y\n6\" pipe,1,2\n2\" hose,3,4\n", "p.csv", new DataColumns { Drop = ["label"] });
        Assert.Equal(2, t.RowCount);
        Assert.Equal([1.0, 2, 3, 4], t.Values);
    }

    [Theory]
    [InlineData("a;b\n1;2\n")]
    [InlineData("a\tb\n1\t2\n")]
    public void SemicolonsAndTabsAreRecognised(string text) => Assert.Equal([1.0, 2], CsvTable.FromText(text).Values);

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("\n\n", "is empty")]
    [InlineData("x,y\n", "no rows of data")]
    [InlineData("x,y\n1,2\n3\n", "line 3: 1 field, but the header has 2 columns")]
    [InlineData("x,y\n1,2\n3,4,5\n", "line 3: 3 fields")]
    [InlineData("x,y\n1,2\n3,abc\n", "line 3, column 'y': 'abc' is not a number")]
    [InlineData("x,y\n1,2\n\n,4\n", "line 4, column 'x': missing value")]
    [InlineData("x,y\n1,NaN\n", "line 2, column 'y': 'NaN' is not a finite number")]
    [InlineData("x,y\n1,Infinity\n", "line 2, column 'y': 'Infinity' is not a finite number")]
    [InlineData("x,y\n-∞,1\n", "line 2, column 'x': '-∞' is not a")]
    [InlineData("x,y\n1e999,1\n", "line 2, column 'x': '1e999' is not a finite number")]
    [InlineData("x,x\n1,2\n", "'x' appears 2 times")]
    [InlineData("x,,y\n1,2,3\n", "column 2 of the header has no name")]
    [InlineData("0.1,0.2\n0.3,0.4\n", "line 1: expected a header row of column names")]
    [InlineData("y\n1\n", "the header names one column")]
    [InlineData("x,y\n1,\"2\n", "line 2: a quoted field is not closed")]
    [InlineData("x,y\n1,2\u0000\n", "line 2: a NUL character")]
    public void MalformedFilesAreInputErrorsThatNameTheLine(string text, string mention)
    {
        var e = Assert.Throws<InputError>(() => CsvTable.FromText(text, "data.csv"));
        Assert.Contains(mention, e.Message);
        Assert.StartsWith("data.csv", e.Message);
    }

    [Fact]
    public void AnOverlongLineIsRefusedWithoutReadingItWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-long-{Guid.NewGuid():N}.csv");
        using (var w = new StreamWriter(path))
        {
            w.Write("x,y\n1,2\n");
            var chunk = new string('7', 1 << 16);
            for (int i = 0; i < 40; i++) w.Write(chunk); // a 2.6 MB line; a 100 MB one stops at the same character
            w.Write(",1\n");
        }
        try
        {
            var e = Assert.Throws<InputError>(() => CsvTable.Read(path, "long.csv"));
            Assert.Contains("long.csv line 3 is longer than 1,048,576 characters", e.Message);
        }
        finally { File.Delete(path); }
    }

    /// <summary>Values kept in blocks come out as they went in, whole or split into inputs and targets, across blocks.</summary>
    [Theory]
    [InlineData(3, 0)]
    [InlineData(3, 65_536)]
    [InlineData(7, 3 * 65_536 + 11)]
    public void ValueBlocksGiveBackTheValuesWholeOrSplit(int columns, int rowsApprox)
    {
        int rows = rowsApprox / columns + 1;
        var blocks = new ValueBlocks();
        for (int i = 0; i < rows * columns; i++) blocks.Add(i * 0.5);
        var all = blocks.ToArray();
        Assert.Equal(Enumerable.Range(0, rows * columns).Select(i => i * 0.5), all);
        var (x, y) = blocks.SplitLast(columns);
        Assert.Equal(all.Where((_, i) => i % columns == columns - 1), y);
        Assert.Equal(all.Where((_, i) => i % columns != columns - 1), x);
    }

    [Fact]
    public void ADataFileLoadsAsItsTableSplits()
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, ",a,b,c\n0,1,2,3\n1,4,5,6\n");
        try
        {
            var loaded = Dataset.Load(new RunConfig { Data = path, DropColumns = ["a"] });
            var table = CsvTable.Read(path, path, new DataColumns { Drop = ["a"] });
            var split = Dataset.FromTable(table, null);
            Assert.Equal(split.InputNames, loaded.InputNames);
            Assert.Equal(split.TargetName, loaded.TargetName);
            Assert.Equal(split.Rows.Select(Enumerable.Range(0, split.Count)).X.ToArray(), loaded.Rows.Select(Enumerable.Range(0, loaded.Count)).X.ToArray());
            Assert.Equal(split.Rows.Select(Enumerable.Range(0, split.Count)).Y.ToArray(), loaded.Rows.Select(Enumerable.Range(0, loaded.Count)).Y.ToArray());
            Assert.Equal(table.Notes, loaded.Notes);
            Assert.Single(loaded.Notes);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AMissingFileIsAnInputError() =>
        Assert.Contains("does not exist", Assert.Throws<InputError>(() => CsvTable.Read("/no/such/points.csv")).Message);

    [Fact]
    public void TheTargetIsTheLastColumnUnlessNamed()
    {
        var t = CsvTable.FromText("a,b,c\n1,2,3\n4,5,6\n", "d.csv");
        var last = Dataset.FromTable(t, null);
        Assert.Equal(["a", "b"], last.InputNames);
        Assert.Equal("c", last.TargetName);
        Assert.Equal([3.0, 6], last.Rows.Select(Enumerable.Range(0, last.Count)).Y.ToArray());
        var named = Dataset.FromTable(t, "a");
        Assert.Equal(["b", "c"], named.InputNames);
        Assert.Equal([2.0, 3, 5, 6], named.Rows.Select(Enumerable.Range(0, named.Count)).X.ToArray());
        Assert.Contains("has no column 'bb' (did you mean 'b'?)", Assert.Throws<InputError>(() => Dataset.FromTable(t, "bb")).Message);
    }

    /// <summary>A relative --data path is read from the config file's folder; the model's inputs take the header's names;
    /// the evaluation is on the held-out test rows.</summary>
    [Fact]
    public void ADataFileFitsEndToEnd()
    {
        var dir = Directory.CreateTempSubdirectory("nf-data-").FullName;
        var rows = Enumerable.Range(0, 400).Select(i => (a: (i % 20) / 10.0 - 1, b: (i / 20) / 10.0 - 1));
        File.WriteAllText(Path.Combine(dir, "points.csv"), "speed,angle,lift\n" + string.Concat(rows.Select(r => FormattableString.Invariant($"{r.a},{r.b},{r.a * r.b + r.a}\n"))));
        File.WriteAllText(Path.Combine(dir, "run.json"), """{ "data": "points.csv", "seed": 3 }""");
        try
        {
            var config = ConfigReader.FromFile(Path.Combine(dir, "run.json"));
            var r = FitRunner.Run(config);
            Assert.Equal(["speed", "angle"], r.Model.InputNames);
            Assert.Equal("lift", r.Model.TargetName);
            Assert.Equal("test set", r.Evaluation.Domain);
            Assert.Equal(60, r.Evaluation.Points); // 15 % of 400
            Assert.True(r.Evaluation.R2 > 0.999, $"r2 {r.Evaluation.R2}");
            Assert.Equal(2, r.Config.Domain.Count);
            Assert.Null(r.Reference); // no reference line for data
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Theory]
    [InlineData("--domain", "0:1", "--domain does not apply to --data")]
    [InlineData("--y", "nope", "has no column 'nope'")]
    public void DataFilesRefuseWhatDoesNotApply(string flag, string value, string mention)
    {
        var path = Path.Combine(Path.GetTempPath(), $"nf-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "x,y\n1,2\n2,3\n3,5\n");
        try { Cli.CliRunner.AssertCleanError(Cli.CliRunner.Run("fit", "--data", path, flag, value), mention); }
        finally { File.Delete(path); }
    }
}
