using System.Globalization;
using System.Text;
using CsCheck;
using csFastFloat;
using NeuralFit.Targets.Datasets;
using NeuralFit.Tests.Targets;

namespace NeuralFit.Tests.Fuzzing;

/// <summary>
/// The buffered CSV reader against the plain one it replaced (<see cref="ReferenceCsvRecords"/>, a character at a
/// time): any text gives the same first line, the same records on the same lines, and the same error, whether it comes
/// whole or a few characters at a time (which cuts records, quotes, "" and \r\n at every place a refill can). And the
/// fast number parser takes only what .NET's parser takes, with the same bits.
/// </summary>
public class CsvRecordsFuzzTests
{
    static readonly Gen<string> CsvLike = Gen.String[Gen.OneOf(Gen.Char['0', '9'],
        Gen.Int[0, 11].Select(i => ",;\t\"\n\r -.ex\0"[i])), 0, 300];

    [Fact]
    public void TheBufferedReaderReadsWhatThePlainOneReads() =>
        Gen.Select(Gen.OneOf(CsvLike, Gen.String), Gen.Int[0, 2], Gen.Int).Sample((text, d, seed) =>
        {
            char delimiter = ",;\t"[d];
            string expected = Transcript(text, delimiter, reference: true);
            string whole = Transcript(text, delimiter, reference: false);
            if (whole != expected) throw new Exception($"{Show(text)} with '{delimiter}':\n reference {expected}\n buffered  {whole}");
            string trickled = Transcript(text, delimiter, reference: false, trickleSeed: seed);
            if (trickled != expected) throw new Exception($"{Show(text)} with '{delimiter}' a few characters at a time:\n reference {expected}\n buffered  {trickled}");
        }, iter: 20_000);

    [Theory]
    [InlineData(200_000, false)]
    [InlineData(1_100_000, false)]
    [InlineData(1_100_000, true)]
    public void LongRecordsAndOverlongOnesAsThePlainReaderHasThem(int length, bool quoted)
    {
        var cell = quoted ? "\"" + string.Concat(Enumerable.Repeat("ab\r\ncd,\"\"e\n", length / 10)) + "\"" : new string('7', length);
        string text = $"\n x,y\n1,2\n3,{cell}\n4,5";
        Assert.Equal(Transcript(text, ',', reference: true), Transcript(text, ',', reference: false));
    }

    [Fact]
    public void FastNumbersAreThoseDotNetReadsWithTheSameBits()
    {
        var numbers = Gen.OneOf(
            Gen.Double.Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            Gen.Double[-1e6, 1e6].Select(v => v.ToString("E10", CultureInfo.InvariantCulture)),
            Gen.Double[-1, 1].Select(v => v.ToString("F20", CultureInfo.InvariantCulture)),
            Gen.String[Gen.Int[0, 14].Select(i => "0123456789.eE+-"[i]), 0, 30],
            Gen.String[Gen.Int[0, 20].Select(i => "0159.eE+- \tinfINFnaN∞"[i]), 0, 12]);
        numbers.Sample(s =>
        {
            if (!FastDoubleParser.TryParseDouble(s, out int used, out double fast) || used != s.Length || !double.IsFinite(fast)) return;
            if (!double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double net))
                throw new Exception($"'{s}' is read by the fast parser as {fast:R} but refused by .NET's");
            if (BitConverter.DoubleToInt64Bits(fast) != BitConverter.DoubleToInt64Bits(net))
                throw new Exception($"'{s}': fast {fast:R}, .NET {net:R}");
        }, iter: 100_000);
    }

    /// <summary>Everything a reader says of a text: its first line, each record's line and fields, and its error.</summary>
    static string Transcript(string text, char delimiter, bool reference, int? trickleSeed = null)
    {
        var s = new StringBuilder();
        try
        {
            if (reference)
            {
                var records = new ReferenceCsvRecords(new StringReader(text), "t.csv");
                if (records.PeekFirstLine() is not { } first) return "empty"; // the table reads no further
                s.Append("first: ").Append(first).Append('\n');
                List<string>? fields;
                while ((fields = records.Next(delimiter)) is not null)
                    s.Append(records.Line).Append(": ").AppendJoin("|", fields).Append('\n');
            }
            else
            {
                TextReader input = trickleSeed is int seed ? new Trickle(text, seed) : new StringReader(text);
                var records = new CsvRecords(input, "t.csv");
                if (records.PeekFirstLine() is not { } first) return "empty";
                s.Append("first: ").Append(first).Append('\n');
                while (records.Next(delimiter))
                {
                    s.Append(records.Line).Append(": ");
                    for (int j = 0; j < records.FieldCount; j++) s.Append(j > 0 ? "|" : "").Append(records[j]);
                    s.Append('\n');
                }
            }
        }
        catch (InputError e) { s.Append("error: ").Append(e.Message); }
        return s.Length > 400 ? $"{s.Length} characters, ending {s.ToString()[^200..]}" : s.ToString();
    }

    /// <summary>A text that gives 1 to 7 characters per read, as a slow pipe might.</summary>
    sealed class Trickle(string text, int seed) : TextReader
    {
        readonly Random _sizes = new(seed);
        int _at;

        public override int Read(char[] buffer, int index, int count)
        {
            int n = Math.Min(Math.Min(count, _sizes.Next(1, 8)), text.Length - _at);
            text.CopyTo(_at, buffer, index, n);
            _at += n;
            return n;
        }

        public override int Read() => _at < text.Length ? text[_at++] : -1;
        public override int Peek() => _at < text.Length ? text[_at] : -1;
    }

    static string Show(string text) => text.Length > 200 ? $"'{text[..200].ReplaceLineEndings("⏎")}…'" : $"'{text.ReplaceLineEndings("⏎").Replace("\0", "\\0")}'";
}
