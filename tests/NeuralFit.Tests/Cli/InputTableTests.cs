namespace NeuralFit.Tests.Cli;

/// <summary>A fit of many inputs prints their ranges and the worst point as a table with names, not one long line.</summary>
public class InputTableTests
{
    [Fact]
    public void ManyInputsAreATableWithNames()
    {
        var dir = Directory.CreateTempSubdirectory("nf-table-").FullName;
        try
        {
            string[] names = ["speed", "angle", "mass", "drag", "temperature", "pressure"];
            var rows = Enumerable.Range(0, 150).Select(i => names.Select((_, k) => ((i * (7 + 2 * k)) % 150) / 149.0 * (k + 1) + 0.123456).ToArray());
            File.WriteAllText(Path.Combine(dir, "d.csv"), string.Join(",", names) + ",y\n"
                + string.Concat(rows.Select(r => string.Join(",", r.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + FormattableString.Invariant($",{r.Sum()}\n"))));
            var o = CliRunner.RunIn(dir, "fit", "--data", "d.csv", "--steps", "5");
            Assert.True(o.ExitCode == 0, o.All);
            var lines = o.Stdout.Split('\n');
            Assert.StartsWith("fit d.csv on 6 inputs (table below): network 6-", lines[0]);
            Assert.True(lines.Max(l => l.Length) < 200, $"a line of {lines.Max(l => l.Length)} characters");
            Assert.Contains("at the point in the table", o.Stdout);
            Assert.Matches(@"\n  input +from +to +max \|error\| at\n", o.Stdout);
            foreach (var name in names) Assert.Matches($@"\n  {name} +0\.123456 +", o.Stdout);

            var few = CliRunner.Run("fit", "--target", "x1 + x2", "--domain", "-1:1", "--domain", "0:2", "--steps", "5", "--layers", "3", "--optimizer", "adam");
            Assert.StartsWith("fit x1 + x2 on -1:1, 0:2: network", few.Stdout);
            Assert.Contains(" at x = (", few.Stdout);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
