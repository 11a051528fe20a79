using System.Globalization;
using BenchmarkDotNet.Attributes;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Benchmarks;

/// <summary>
/// Reading a data file of 8 inputs and a target, full-precision numbers as pandas writes them (about 177 bytes a
/// row): the whole read (records, numbers, checks, the table), and the records alone. Rows = 1e5 by default; the
/// 1e6-row figure is ten times this, as the read is linear.
/// </summary>
[MemoryDiagnoser]
public class CsvReadBenchmarks
{
    [Params(100_000)]
    public int Rows { get; set; }

    string _path = "";

    [GlobalSetup]
    public void WriteFile()
    {
        _path = Path.Combine(Path.GetTempPath(), $"neuralfit-bench-{Rows}.csv");
        var random = new Random(1);
        using var w = new StreamWriter(_path);
        w.Write("x1,x2,x3,x4,x5,x6,x7,x8,y\n");
        for (int i = 0; i < Rows; i++)
        {
            double y = 0;
            for (int j = 0; j < 8; j++)
            {
                double x = 2 * random.NextDouble() - 1;
                y += Math.Sin(x * (j + 1));
                w.Write(x.ToString("R", CultureInfo.InvariantCulture));
                w.Write(',');
            }
            w.Write(y.ToString("R", CultureInfo.InvariantCulture));
            w.Write('\n');
        }
    }

    [GlobalCleanup]
    public void DeleteFile() => File.Delete(_path);

    [Benchmark(Baseline = true)]
    public int Table() => CsvTable.Read(_path, "bench.csv", DataColumns.All).RowCount;

    [Benchmark]
    public long RecordsOnly()
    {
        using var reader = new StreamReader(_path);
        var records = new CsvRecords(reader, "bench.csv");
        records.PeekFirstLine();
        long characters = 0;
        while (records.Next(','))
            for (int j = 0; j < records.FieldCount; j++) characters += records[j].Length;
        return characters;
    }
}
