namespace NeuralFit.Targets.Datasets;

/// <summary>
/// Values gathered while a file is read, whose count is known only at its end. They are kept in fixed blocks, so
/// growing copies nothing and holds no spare capacity (a doubling list holds up to twice the values, and its last
/// copy three times); the table's one array is made at the end, so reading peaks at twice the values' size.
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
}
