namespace NeuralFit.Targets.Datasets;

/// <summary>
/// The numbers of a file's rows as they are read: the kept columns row-major, the last <c>last</c> of them apart (a
/// data set's targets), the others together (its inputs, or a table's every column). When the rows are known not to
/// be more than a bound (<see cref="LineBound"/>, from the file's line breaks), they are written straight into arrays
/// of that many rows, so reading takes the values' size once; a file that holds fewer rows than lines (blank lines,
/// fields over several lines) is trimmed to them at the end, with one copy. Otherwise (a pipe, whose length is not
/// known before it is read) they go into <see cref="ValueBlocks"/>, which are split at the end: twice the values.
/// </summary>
sealed class RowValues
{
    readonly int _columns, _last;
    readonly ValueBlocks? _blocks;
    double[] _others, _lasts;
    int _rows, _capacity;

    public RowValues(int columns, int last, long? rowBound)
    {
        (_columns, _last) = (columns, last);
        if (rowBound is long bound)
        {
            // at most the values any file may hold; uninitialised, as every value kept is written (pages never written are never touched)
            _capacity = (int)Math.Clamp(bound, 1, CsvTable.MaxValues / columns + 1);
            _others = GC.AllocateUninitializedArray<double>(_capacity * (columns - last));
            _lasts = GC.AllocateUninitializedArray<double>(_capacity * last);
        }
        else (_blocks, _others, _lasts) = (new ValueBlocks(), [], []);
    }

    public int Rows => _rows;

    /// <summary>One row's kept values, in order.</summary>
    public void Add(ReadOnlySpan<double> row)
    {
        _rows++;
        if (_blocks is { } blocks)
        {
            foreach (double v in row) blocks.Add(v);
            return;
        }
        if (_rows > _capacity) Grow(); // the file grew after its lines were counted
        int first = _columns - _last;
        row[..first].CopyTo(_others.AsSpan((_rows - 1) * first, first));
        row[first..].CopyTo(_lasts.AsSpan((_rows - 1) * _last, _last));
    }

    void Grow()
    {
        _capacity = checked(_capacity + _capacity / 2 + 1);
        Array.Resize(ref _others, _capacity * (_columns - _last));
        Array.Resize(ref _lasts, _capacity * _last);
    }

    /// <summary>The values read: the other columns row-major (rows, columns − last), and the last ones (rows, last).</summary>
    public (double[] Others, double[] Lasts) ToArrays()
    {
        if (_blocks is { } blocks) return blocks.SplitLast(_columns, _last);
        if (_rows < _capacity)
        {
            Array.Resize(ref _others, _rows * (_columns - _last));
            Array.Resize(ref _lasts, _rows * _last);
            _capacity = _rows;
        }
        return (_others, _lasts);
    }

    /// <summary>
    /// At most how many rows of data a regular file holds after its header: one a line, and a line ends at \n, \r\n
    /// or a lone \r, or at the end of the file. Counted on the bytes, a vectorised search a megabyte at a time (tens of
    /// milliseconds for 100 MB); a file in UTF-16 counts its line breaks' bytes twice over at most, which only makes
    /// the bound looser. Null when the file cannot be read again (it is read once more by the parser, which reports
    /// any error).
    /// </summary>
    public static long? LineBound(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
            var buffer = new byte[1 << 20];
            long breaks = 0;
            byte previous = 0;
            int read;
            while ((read = file.Read(buffer)) > 0)
            {
                var bytes = buffer.AsSpan(0, read);
                breaks += bytes.Count((byte)'\n');
                if (bytes.Contains((byte)'\r'))
                    for (int i = 0; i < read; i++)
                        if (bytes[i] == '\r' && (i + 1 < read ? bytes[i + 1] != '\n' : true)) breaks++; // a \r\n across two reads counts twice: a looser bound
                previous = bytes[^1];
            }
            bool unterminated = previous is not ((byte)'\n' or (byte)'\r');
            return Math.Max(0, breaks + (unterminated ? 1 : 0) - 1); // the header takes a line
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
