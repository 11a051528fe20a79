using System.Text;
using NeuralFit.Targets.Datasets;

namespace NeuralFit.Tests.Targets;

/// <summary>
/// The reference for <see cref="CsvRecords"/>: the same records (RFC 4180: fields split by the delimiter; a field in
/// double quotes may hold the delimiter, line breaks, and "" for one quote; a record ends at \n, \r\n or \r outside
/// quotes; a quote opens a quoted field only at its start), read the plain way, a character at a time, into strings.
/// This was NeuralFit's reader before the buffered one; the buffered one must give the same records, lines and errors.
/// </summary>
sealed class ReferenceCsvRecords(TextReader reader, string name)
{
    readonly StringBuilder _field = new();
    string? _pushedBack;
    int _pushedAt, _nextLine = 1, _length;

    /// <summary>The line the last record started on.</summary>
    public int Line { get; private set; }

    /// <summary>The first line that is not blank, as text (for choosing the delimiter); it is then read again as the
    /// first record. Null when the text has none.</summary>
    public string? PeekFirstLine()
    {
        var line = new StringBuilder();
        while (true)
        {
            line.Clear();
            int c;
            while ((c = reader.Read()) >= 0)
            {
                if (c == 0) throw new InputError($"{name} line {_nextLine}: a NUL character; this is not a text file");
                if (line.Length >= CsvTable.MaxLineLength) throw TooLong(_nextLine, quoted: false);
                line.Append((char)c);
                if (c is '\n' or '\r') break;
            }
            if (c == '\r' && reader.Peek() == '\n') line.Append((char)reader.Read());
            if (line.Length == 0) return null;
            if (!string.IsNullOrWhiteSpace(line.ToString()) || c < 0)
            {
                _pushedBack = line.ToString();
                return string.IsNullOrWhiteSpace(_pushedBack) ? null : _pushedBack.TrimEnd('\r', '\n');
            }
            _nextLine++;
        }
    }

    /// <summary>The next record's fields, or null at the end of the text. Leading spaces before a quote, and any white
    /// space after the closing quote, are dropped; an unquoted field is kept as written.</summary>
    public List<string>? Next(char delimiter)
    {
        int c = Read();
        if (c < 0) return null;
        Line = _nextLine;
        _length = 0;
        var fields = new List<string>();
        while (true)
        {
            _field.Clear();
            while (c == ' ') { Append(c, quoted: false); c = Read(); }
            if (c == '"')
            {
                _field.Clear();
                c = ReadQuoted();
                while (c >= 0 && c != delimiter && c is not ('\n' or '\r'))
                {
                    if (!char.IsWhiteSpace((char)c)) throw new InputError($"{name} line {_nextLine}: unexpected text after a quoted field");
                    c = Read();
                }
            }
            else
                while (c >= 0 && c != delimiter && c is not ('\n' or '\r'))
                {
                    Append(c, quoted: false);
                    c = Read();
                }
            fields.Add(_field.ToString());
            if (c == delimiter) { c = Read(); continue; }
            EndLine(c);
            return fields;
        }
    }

    /// <summary>Reads a quoted field's content after its opening quote; returns the character after the closing one.</summary>
    int ReadQuoted()
    {
        int start = _nextLine;
        while (true)
        {
            int c = Read();
            if (c < 0) throw new InputError($"{name} line {start}: a quoted field is not closed by the end of the file");
            if (c == '"')
            {
                if (Peek() != '"') return Read();
                Read();
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && Peek() == '\n') { Append('\r', quoted: true, start); c = Read(); }
                _nextLine++;
            }
            Append(c, quoted: true, start);
        }
    }

    void Append(int c, bool quoted, int start = 0)
    {
        if (c == 0) throw new InputError($"{name} line {_nextLine}: a NUL character; this is not a text file");
        if (++_length > CsvTable.MaxLineLength) throw TooLong(quoted ? start : _nextLine, quoted);
        _field.Append((char)c);
    }

    InputError TooLong(int line, bool quoted) => quoted
        ? new InputError($"{name} line {line}: a quoted field runs on for more than {CsvTable.MaxLineLength:N0} characters; is its closing quote missing?")
        : new InputError($"{name} line {line} is longer than {CsvTable.MaxLineLength:N0} characters; expected CSV rows of numbers");

    void EndLine(int c)
    {
        if (c == '\r' && Peek() == '\n') Read();
        if (c >= 0) _nextLine++;
    }

    int Read()
    {
        if (_pushedBack is null) return reader.Read();
        int c = _pushedBack[_pushedAt++];
        if (_pushedAt == _pushedBack.Length) _pushedBack = null;
        return c;
    }

    int Peek() => _pushedBack is null ? reader.Peek() : _pushedBack[_pushedAt];
}
