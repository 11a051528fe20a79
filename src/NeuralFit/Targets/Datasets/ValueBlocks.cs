namespace NeuralFit.Targets.Datasets;

/// <summary>
/// Values gathered while a file is read, whose count is known only at its end. They are kept in fixed blocks, so
/// growing copies nothing and holds no spare capacity (a doubling list holds up to twice the values, and its last
/// copy three times); the table's one array (or a data set's inputs and targets) is made at the end, so reading peaks
/// at twice the values' size.
/// </summary>
sealed class ValueBlocks
{
    /// <summary>Values per block: 512 KB, small beside a large file, large enough that a block is rarely begun.</summary>
    const int BlockLength = 1 << 16;

    readonly List<double[]> _full = [];
    double[] _current = new double[BlockLength];
    int _used;

    public long Count => (long)_full.Count * BlockLength + _used;

    public void Add(double value)
    {
        if (_used == BlockLength)
        {
            _full.Add(_current);
            (_current, _used) = (new double[BlockLength], 0);
        }
        _current[_used++] = value;
    }

    public double[] ToArray()
    {
        var all = new double[Count];
        for (int b = 0; b < _full.Count; b++) _full[b].CopyTo(all, (long)b * BlockLength);
        Array.Copy(_current, 0, all, (long)_full.Count * BlockLength, _used);
        return all;
    }

    /// <summary>The values as rows of <paramref name="columns"/>, each row's last value apart from the others: a data
    /// file's inputs, row-major, and its targets.</summary>
    public (double[] Others, double[] Last) SplitLast(int columns, int last = 1)
    {
        long rows = Count / columns;
        int first = columns - last;
        var (others, lasts) = (new double[rows * first], new double[rows * last]);
        long o = 0, l = 0;
        int k = 0;
        foreach (var block in _full.Append(_current))
        {
            int length = block == _current ? _used : BlockLength;
            for (int i = 0; i < length; i++)
            {
                if (k < first) others[o++] = block[i];
                else lasts[l++] = block[i];
                k = k == columns - 1 ? 0 : k + 1;
            }
        }
        return (others, lasts);
    }
}
