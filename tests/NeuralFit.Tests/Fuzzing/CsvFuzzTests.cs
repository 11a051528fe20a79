using System.Globalization;
using System.Text;
using CsCheck;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// Property-based tests of the CSV reader: any table of finite numbers written with any of the accepted delimiters,
/// quoting, line ends and blank lines reads back to exactly the same names and values; damaged or random text is
/// read or refused with an <see cref="InputError"/>, never anything else, and what is read holds only finite numbers
/// in full rows.
/// </summary>
public class CsvFuzzTests
{
    const int Tables = 8_000, Damaged = 15_000, RandomTexts = 10_000;

    static readonly Gen<double> Values = Gen.OneOf(Gen.Double[-1e6, 1e6], Gen.Double[-1, 1], Gen.Int[-1000, 1000].Select(i => (double)i),
        Gen.Double.Where(double.IsFinite), Gen.Const(0.0), Gen.Const(1e-300), Gen.Const(-1.7976931348623157e308));

    static readonly Gen<(string[] Names, double[][] Rows, char Delimiter, bool Quote, string NewLine, bool Blank)> Tables_ =
        Gen.Int[2, 6].SelectMany(columns => Gen.Select(
            Gen.Const(Enumerable.Range(0, columns).Select(j => j == columns - 1 ? "y" : $"x{j + 1}").ToArray()),
            Values.Array[columns].Array[1, 25],
            Either(',', ';', '\t'), Gen.Bool, Either("\n", "\r\n", "\r"), Gen.Bool));

    [Fact]
    public void TablesOfFiniteNumbersReadBackExactly()
    {
        Tables_.Sample(t =>
        {
            var text = Write(t.Names, t.Rows, t.Delimiter, t.Quote, t.NewLine, t.Blank);
            var table = CsvTable.FromText(text, "fuzz.csv");
            if (!table.Columns.SequenceEqual(t.Names)) throw new Exception($"columns {string.Join("|", table.Columns)} from {Show(text)}");
            if (table.RowCount != t.Rows.Length) throw new Exception($"{table.RowCount} rows, expected {t.Rows.Length}, from {Show(text)}");
            var expected = t.Rows.SelectMany(r => r).ToArray();
            for (int i = 0; i < expected.Length; i++)
                if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(table.Values[i]) && !(expected[i] == 0 && table.Values[i] == 0))
                    throw new Exception($"value {i}: {expected[i]:R} read as {table.Values[i]:R} from {Show(text)}");
        }, iter: Tables);
    }

    [Fact]
    public void DamagedFilesAreReadOrRefusedWithAnInputError()
    {
        var edits = Gen.Select(Gen.Int[0, 3], Gen.Int.Positive, Gen.OneOf(Gen.Char, Either(',', ';', '\t', '"', '\n', '\r', ' ', '-', 'e', '.', '0', '9')),
            Either("NaN", "1e999", "-Infinity", "\"", "\"\"", ",,", "x1", "", "\u0000", "\uFEFF")).Array[1, 4];
        Gen.Select(Tables_, edits).Sample(p =>
        {
            var (t, damage) = p;
            var text = new StringBuilder(Write(t.Names, t.Rows, t.Delimiter, t.Quote, t.NewLine, t.Blank));
            foreach (var (kind, at, c, piece) in damage)
            {
                int i = text.Length == 0 ? 0 : at % (text.Length + 1);
                switch (kind)
                {
                    case 0: text.Insert(i, c); break;
                    case 1: if (i < text.Length) text.Remove(i, 1); break;
                    case 2: text.Insert(i, piece); break;
                    default: if (i < text.Length) text[i] = c; break;
                }
            }
            CheckReadOrRefused(text.ToString());
        }, iter: Damaged);
    }

    [Fact]
    public void RandomTextIsReadOrRefusedWithAnInputError() =>
        Gen.OneOf(Gen.String, Gen.String[Gen.OneOf(Gen.Char['0', '9'], Either(',', '\n', '.', '-', 'x', 'y', '"', ';')), 0, 200])
            .Sample(CheckReadOrRefused, iter: RandomTexts);

    [Fact]
    public void SelectingColumnsKeepsTheirOrderAndIgnoresEverythingElse()
    {
        var table = CsvTable.FromText("label,X2,x1\nfirst,2,1\n\"second, quoted\",4,3\n", "p.csv", ["x1", "x2"]);
        Assert.Equal(["x1", "X2"], table.Columns);
        Assert.Equal([1.0, 2, 3, 4], table.Values);
        var error = Assert.Throws<InputError>(() => CsvTable.FromText("a,b\n1,2\n", "p.csv", ["x"]));
        Assert.Contains("no column 'x'", error.Message);
    }

    static void CheckReadOrRefused(string text)
    {
        CsvTable table;
        try { table = CsvTable.FromText(text, "fuzz.csv"); }
        catch (InputError e)
        {
            if (e.Message.Contains('\n') || e.Message.Contains('\r')) throw new Exception($"a two-line error: {Show(e.Message)}");
            return;
        }
        if (table.Values.Length != table.RowCount * table.Columns.Length) throw new Exception($"ragged result from {Show(text)}");
        if (!table.Values.All(double.IsFinite)) throw new Exception($"a non-finite value read from {Show(text)}");
        try { Dataset.FromTable(table, null); }
        catch (InputError) { }
    }

    static string Write(string[] names, double[][] rows, char delimiter, bool quote, string newLine, bool blank)
    {
        string Cell(string s) => quote ? $"\"{s}\"" : s;
        var s = new StringBuilder();
        s.Append(string.Join(delimiter, names.Select(Cell))).Append(newLine);
        foreach (var row in rows)
        {
            if (blank) s.Append(newLine);
            s.Append(string.Join(delimiter, row.Select(v => Cell(v.ToString("R", CultureInfo.InvariantCulture))))).Append(newLine);
        }
        return s.ToString();
    }

    static Gen<T> Either<T>(params T[] values) => Gen.Int[0, values.Length - 1].Select(i => values[i]);

    static string Show(string text) => text.Length > 200 ? $"'{text[..200].ReplaceLineEndings("⏎")}…'" : $"'{text.ReplaceLineEndings("⏎")}'";
}
