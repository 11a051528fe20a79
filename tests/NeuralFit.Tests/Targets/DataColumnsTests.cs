using NeuralFit.Configuration;
using NeuralFit.Fitting;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Targets;

/// <summary>Choosing a data file's columns (--input, --drop, index columns) and RFC 4180 quoting across lines.</summary>
public class DataColumnsTests
{
    [Fact]
    public void QuotedFieldsMayHoldDelimitersQuotesAndLineBreaks()
    {
        var t = CsvTable.FromText("id,\"note, with \"\"quotes\"\"\",x,y\r\n1,\"two\r\nlines, and more\",0.5,2\n2,\"three\nshort\nlines\",1.5,4\n3,plain,2.5,6\n",
            "q.csv", new DataColumns { Drop = ["id", "note, with \"quotes\""] });
        Assert.Equal(["x", "y"], t.Columns);
        Assert.Equal([0.5, 2, 1.5, 4, 2.5, 6], t.Values);
    }

    [Fact]
    public void ErrorsAfterAFieldThatSpansLinesNameTheRightLine()
    {
        var e = Assert.Throws<InputError>(() => CsvTable.FromText("label,x,y\n\"a\nb\",1,2\nc,1,oops\n", "q.csv", new DataColumns { Drop = ["label"] }));
        Assert.Contains("q.csv line 4, column 'y': 'oops' is not a number", e.Message);
        var open = Assert.Throws<InputError>(() => CsvTable.FromText("x,y\n1,2\n3,\"4\n5,6\n", "q.csv"));
        Assert.Contains("q.csv line 3: a quoted field is not closed by the end of the file", open.Message);
    }

    [Theory]
    [InlineData(",x,y\n0,1,2\n1,3,4\n2,5,6\n", 0)]             // pandas' to_csv
    [InlineData("\"\",\"x\",\"y\"\n\"1\",1,2\n\"2\",3,4\n\"3\",5,6\n", 1)] // R's write.csv
    public void AnUnnamedColumnThatCountsTheRowsIsAnIndexAndLeftOut(string text, int start)
    {
        var t = CsvTable.FromText(text, "i.csv", DataColumns.All with { });
        Assert.Equal(["x", "y"], t.Columns);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], t.Values);
        Assert.Contains($"counts the rows ({start}, {start + 1}, {start + 2}, …), so it was taken as their index and left out", Assert.Single(t.Notes));
    }

    [Theory]
    [InlineData(",x,y\n0,1,2\n2,3,4\n", "line 3: column 1 of the header has no name and is not a row index counting 0, 1, 2, … (it holds '2' where 1 would be); name it in the header, or leave it out with FitOptions.DropColumns '#1'")]
    [InlineData(",x,y\nabc,1,2\n", "(it holds 'abc' where 0 or 1 would be)")]
    [InlineData("x,,y\n1,2,3\n", "column 2 of the header has no name; name it in the header, or leave it out with FitOptions.DropColumns '#2'")]
    public void AnUnnamedColumnThatIsNoIndexSaysHowToDropIt(string text, string mention) =>
        Assert.Contains(mention, Assert.Throws<InputError>(() => CsvTable.FromText(text, "i.csv")).Message);

    [Fact]
    public void DroppingByPositionTakesAnyUnnamedColumn()
    {
        var t = CsvTable.FromText(",x,y\n7,1,2\n9,3,4\n", "i.csv", new DataColumns { Drop = ["#1"] });
        Assert.Equal(["x", "y"], t.Columns);
        Assert.Empty(t.Notes);
    }

    [Fact]
    public void InputsAreTakenInTheOrderGivenWithTheTargetLast()
    {
        const string text = "id,name,a,b,c,y\n1,first,1,2,3,4\n2,second,5,6,7,8\n";
        var t = CsvTable.FromText(text, "d.csv", new DataColumns { Inputs = ["c", "A"] });
        Assert.Equal(["c", "a", "y"], t.Columns);
        Assert.Equal([3.0, 1, 4, 7, 5, 8], t.Values);
        var named = CsvTable.FromText(text, "d.csv", new DataColumns { Inputs = ["a", "b"], Target = "c" });
        Assert.Equal(["a", "b", "c"], named.Columns);
        var dropped = CsvTable.FromText(text, "d.csv", new DataColumns { Drop = ["id", "name"], Target = "a" });
        Assert.Equal(["b", "c", "y", "a"], dropped.Columns);
    }

    [Theory]
    [InlineData(new[] { "a" }, new[] { "a" }, null, "column 'a' is given both as FitOptions.InputColumns and FitOptions.DropColumns")]
    [InlineData(new[] { "a" }, new string[0], "a", "column 'a' is given both as FitOptions.InputColumns and FitOptions.TargetColumn")]
    [InlineData(new[] { "aa" }, new string[0], null, "FitOptions.InputColumns: d.csv has no column 'aa' (id, a, b, y) (did you mean 'a'?)")]
    [InlineData(null, new[] { "ids" }, null, "FitOptions.DropColumns: d.csv has no column 'ids'")]
    [InlineData(null, new[] { "a", "b", "y" }, null, "only 'id' is left")]
    [InlineData(new[] { "a", "b", "y", "id" }, new string[0], null, "every column is an input")]
    public void ChoicesThatCannotBeMetAreInputErrors(string[]? inputs, string[] drop, string? target, string mention)
    {
        var choice = new DataColumns { Inputs = inputs, Drop = drop, Target = target };
        Assert.Contains(mention, Assert.Throws<InputError>(() => CsvTable.FromText("id,a,b,y\n1,2,3,4\n", "d.csv", choice)).Message);
    }

    [Fact]
    public void AFitLeavesOutTheIdColumnAndSaysWhereAnIndexWent()
    {
        var dir = Directory.CreateTempSubdirectory("nf-columns-").FullName;
        var rows = Enumerable.Range(0, 200).Select(i => (x: i / 100.0 - 1, id: 1000 + 7 * i));
        File.WriteAllText(Path.Combine(dir, "p.csv"), ",id,x,label,y\n" + string.Concat(rows.Select((r, i) => FormattableString.Invariant($"{i},{r.id},{r.x},\"row\n{i}\",{r.x * r.x}\n"))));
        try
        {
            var config = ConfigReader.FromJson("""{ "data": "p.csv", "dropColumns": ["id", "label"], "seed": 2 }""", "run.json", new FitOptions { BaseDirectory = dir });
            var r = FitRunner.Run(config);
            Assert.Equal(["x"], r.Model.InputNames);
            Assert.Equal("y", r.Model.TargetName);
            Assert.Contains(r.Notes, n => n.Contains("taken as their index and left out"));
            Assert.True(r.Evaluation.R2 > 0.99, $"r2 {r.Evaluation.R2}");

            var cli = Cli.CliRunner.RunIn(dir, "fit", "--data", "p.csv", "--input", "x", "--steps", "20");
            Assert.True(cli.ExitCode == 0, cli.All);
            Assert.Contains("note: p.csv: its first column has no name", cli.Stdout);
            Cli.CliRunner.AssertCleanError(Cli.CliRunner.RunIn(dir, "fit", "--data", "p.csv", "--drop", "id"), "column 'label': 'row 0' is not a number");
            Cli.CliRunner.AssertCleanError(Cli.CliRunner.RunIn(dir, "fit", "--target", "x", "--input", "x"), "--input and --drop choose the columns of a data file");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
