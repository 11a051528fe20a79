using System.Buffers;

namespace NeuralFit.Targets.Datasets;

/// <summary>
/// The records of a CSV text, as RFC 4180 has them: fields split by the delimiter; a field in double quotes may hold
/// the delimiter, line breaks, and "" for one quote; a record ends at \n, \r\n or \r outside quotes. Lines are
/// numbered from 1 and a record is known by the line it starts on. The text is read into a buffer a block at a time
/// and each field is found in it by one vectorised search, so a field costs no string and no copy (a quoted one is
/// unescaped into a side buffer). A record must fit in <see cref="CsvTable.MaxLineLength"/> characters: the buffer
/// grows to that and no further, so a file that is not CSV (one 100 MB line, a quote that never closes, binary data)
/// is refused without being loaded.
/// </summary>
sealed class CsvRecords(TextReader reader, string name)
{
    /// <summary>Characters asked of the reader at a time: large enough that a call costs nothing per row, small enough
    /// to stay in the L2 cache while its fields are parsed.</summary>
    const int BlockChars = 1 << 16;

    static readonly SearchValues<char> QuotedStops = SearchValues.Create("\"\n\r\0");
    static readonly SearchValues<char> LineStops = SearchValues.Create("\n\r\0");
    static readonly SearchValues<char> CommaStops = SearchValues.Create(",\n\r\0"),
        SemicolonStops = SearchValues.Create(";\n\r\0"), TabStops = SearchValues.Create("\t\n\r\0");

    char[] _text = new char[2 * BlockChars];
    int _start, _end;     // the text not yet taken: _text[_start.._end)
    bool _ended;          // the reader has given all it has
    int _nextLine = 1;

    Field[] _fields = new Field[16];
    char[] _unescaped = new char[256];
    int _unescapedLength;

    /// <summary>Where a field of the current record is: in the text, or (a quoted one, unescaped) in the side buffer.</summary>
    readonly record struct Field(int Start, int Length, bool Quoted);

    /// <summary>The line the current record started on.</summary>
    public int Line { get; private set; }

    /// <summary>The current record's fields.</summary>
    public int FieldCount { get; private set; }

    /// <summary>A field of the current record, valid until the next call of <see cref="Next"/>. Leading spaces before
    /// a quote, and any white space after the closing quote, are dropped; an unquoted field is as written.</summary>
    public ReadOnlySpan<char> this[int i]
    {
        get
        {
            var f = _fields[i];
            return f.Quoted ? _unescaped.AsSpan(f.Start, f.Length) : _text.AsSpan(f.Start, f.Length);
        }
    }

    /// <summary>The first line that is not blank, as text (for choosing the delimiter); it is then read again as the
    /// first record. Null when the text has none.</summary>
    public string? PeekFirstLine()
    {
        while (true)
        {
            var text = _text.AsSpan(_start, _end - _start);
            int k = text.IndexOfAny(LineStops);
            if (k >= 0 && text[k] == '\0') throw Nul(_nextLine);
            bool complete = k >= 0 && !(text[k] == '\r' && k + 1 == text.Length && !_ended); // \r then maybe \n
            if (!complete && !_ended)
            {
                if (text.Length > CsvTable.MaxLineLength) throw TooLong(_nextLine, quoted: false);
                Fill();
                continue;
            }
            var line = k >= 0 ? text[..k] : text;
            if (line.Length > CsvTable.MaxLineLength) throw TooLong(_nextLine, quoted: false);
            if (!line.IsWhiteSpace()) return new string(line);
            if (k < 0)
            {
                _start = _end;
                return null;
            }
            _start += k + (text[k] == '\r' && k + 1 < text.Length && text[k + 1] == '\n' ? 2 : 1);
            CountLines(1);
        }
    }

    /// <summary>
    /// Counts lines. Every row holds a value, so a text of more lines than values read is refused at once: a stream
    /// of blank lines (`yes ''` into /dev/stdin) would otherwise be read to the byte limit.
    /// </summary>
    void CountLines(int lines)
    {
        _nextLine += lines;
        if (_nextLine > CsvTable.MaxValues) throw new InputError($"{name}: more than {CsvTable.MaxValues:N0} lines; NeuralFit reads at most {CsvTable.MaxValues:N0} values");
    }

    /// <summary>Reads the next record; false at the end of the text.</summary>
    public bool Next(char delimiter)
    {
        var stops = delimiter switch
        {
            ',' => CommaStops,
            ';' => SemicolonStops,
            '\t' => TabStops,
            _ => throw new ArgumentOutOfRangeException(nameof(delimiter), delimiter, "a delimiter is ',', ';' or tab"),
        };
        while (true)
        {
            if (_start == _end)
            {
                if (_ended) return false;
                Fill();
                continue;
            }
            var (end, lines, openQuoteLine) = Parse(delimiter, stops);
            if (end >= 0)
            {
                Line = _nextLine;
                CountLines(lines);
                _start = end;
                return true;
            }
            // The record runs past the text read so far: it is read again, whole, once more text is in.
            if (_end - _start > CsvTable.MaxLineLength)
                throw openQuoteLine >= 0 ? TooLong(_nextLine + openQuoteLine, quoted: true) : TooLong(_nextLine + lines, quoted: false);
            Fill();
        }
    }

    /// <summary>
    /// Splits the record at the start of the text into fields. Returns where the text after it starts and the line
    /// breaks it holds (its last one included), or an end of −1 when the record is not all in yet, with the lines
    /// counted so far and, when the text stops inside a quoted field, the line that quote opened on (relative).
    /// </summary>
    (int End, int Lines, int OpenQuoteLine) Parse(char delimiter, SearchValues<char> stops)
    {
        var text = _text;
        int i = _start, end = _end, lines = 0;
        FieldCount = 0;
        _unescapedLength = 0;
        while (true)
        {
            int fieldStart = i;
            while (i < end && text[i] == ' ') i++;
            if (i < end && text[i] == '"')
            {
                int openedOn = lines, from = _unescapedLength;
                i++;
                while (true)
                {
                    int k = text.AsSpan(i, end - i).IndexOfAny(QuotedStops);
                    if (k < 0)
                    {
                        if (!_ended) return (-1, lines, openedOn);
                        throw new InputError($"{name} line {_nextLine + openedOn}: a quoted field is not closed by the end of the file");
                    }
                    Unescaped(text.AsSpan(i, k));
                    i += k;
                    if (i - _start > CsvTable.MaxLineLength) throw TooLong(_nextLine + openedOn, quoted: true);
                    char c = text[i];
                    if (c == '\0') throw Nul(_nextLine + lines);
                    bool last = i + 1 == end;
                    if (last && !_ended) return (-1, lines, openedOn); // "" or ", \r\n or \r: the next character decides
                    if (c == '"')
                    {
                        if (last || text[i + 1] != '"') { i++; break; }
                        Unescaped("\"");
                        i += 2;
                        continue;
                    }
                    int breakLength = c == '\r' && !last && text[i + 1] == '\n' ? 2 : 1;
                    Unescaped(text.AsSpan(i, breakLength));
                    i += breakLength;
                    lines++;
                }
                Add(new Field(from, _unescapedLength - from, Quoted: true));
                for (; i < end && text[i] != delimiter && text[i] is not ('\n' or '\r'); i++)
                    if (!char.IsWhiteSpace(text[i])) throw new InputError($"{name} line {_nextLine + lines}: unexpected text after a quoted field");
            }
            else
            {
                int k = text.AsSpan(i, end - i).IndexOfAny(stops);
                i = k < 0 ? end : i + k;
                if (i - _start > CsvTable.MaxLineLength) throw TooLong(_nextLine + lines, quoted: false);
                if (i < end && text[i] == '\0') throw Nul(_nextLine + lines);
                Add(new Field(fieldStart, i - fieldStart, Quoted: false));
            }
            if (i == end) return _ended ? (i, lines, -1) : (-1, lines, -1);
            if (text[i] == delimiter)
            {
                i++;
                continue;
            }
            if (text[i] == '\r' && i + 1 == end && !_ended) return (-1, lines, -1); // \r then maybe \n
            i += text[i] == '\r' && i + 1 < end && text[i + 1] == '\n' ? 2 : 1;
            return (i, lines + 1, -1);
        }
    }

    void Add(Field field)
    {
        if (FieldCount == _fields.Length) Array.Resize(ref _fields, 2 * _fields.Length);
        _fields[FieldCount++] = field;
    }

    void Unescaped(ReadOnlySpan<char> chars)
    {
        if (_unescapedLength + chars.Length > _unescaped.Length)
            Array.Resize(ref _unescaped, Math.Max(2 * _unescaped.Length, _unescapedLength + chars.Length));
        chars.CopyTo(_unescaped.AsSpan(_unescapedLength));
        _unescapedLength += chars.Length;
    }

    /// <summary>Moves the text not yet taken to the buffer's start and reads more after it; the buffer grows only for a
    /// record longer than it, and then at most to the longest record accepted.</summary>
    void Fill()
    {
        if (_start > 0)
        {
            Array.Copy(_text, _start, _text, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        if (_end == _text.Length) Array.Resize(ref _text, Math.Min(2 * _text.Length, CsvTable.MaxLineLength + BlockChars));
        int read = reader.Read(_text, _end, Math.Min(BlockChars, _text.Length - _end));
        if (read == 0) _ended = true;
        _end += read;
    }

    InputError Nul(int line) => new($"{name} line {line}: a NUL character; this is not a text file");

    InputError TooLong(int line, bool quoted) => quoted
        ? new InputError($"{name} line {line}: a quoted field runs on for more than {CsvTable.MaxLineLength:N0} characters; is its closing quote missing?")
        : new InputError($"{name} line {line} is longer than {CsvTable.MaxLineLength:N0} characters; expected CSV rows of numbers");
}
