namespace Palisade.Server.Blocklists.Parsers;

/// <summary>
/// Reads lines from a <see cref="TextReader"/> into a reused buffer, without a string per line. Accepts LF and CRLF
/// endings, a final line without a newline, and drops a leading byte-order mark. A line longer than
/// <see cref="MaxLineLength"/> is consumed without being buffered and reported as too long.
/// </summary>
internal sealed class LineReader(TextReader reader)
{
    /// <summary>The longest line (without its line ending) that is parsed.</summary>
    public const int MaxLineLength = 4096;

    private const int BufferSize = 64 * 1024;

    private readonly TextReader _reader = reader;
    private readonly char[] _buffer = new char[BufferSize];
    private int _start;
    private int _end;
    private bool _eof;
    private bool _first = true;

    /// <summary>Reads the next line; false at the end of the input.</summary>
    /// <param name="line">The line without its ending; empty when <paramref name="tooLong"/>.</param>
    /// <param name="tooLong">The line was over <see cref="MaxLineLength"/> characters and was skipped.</param>
    public bool TryReadLine(out ReadOnlySpan<char> line, out bool tooLong)
    {
        tooLong = false;
        while (true)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf('\n');
            if (newline >= 0 || (_eof && pending.Length > 0))
            {
                var length = newline >= 0 ? newline : pending.Length;
                _start += newline >= 0 ? newline + 1 : pending.Length;
                line = Finish(pending[..length], out tooLong);
                return true;
            }

            if (_eof)
            {
                line = default;
                return false;
            }

            if (pending.Length > MaxLineLength + 1)
            {
                // No line ending in sight: drop what is buffered and the rest of the line.
                tooLong = true;
                line = default;
                return SkipRestOfLine();
            }

            Fill();
        }
    }

    private ReadOnlySpan<char> Finish(ReadOnlySpan<char> line, out bool tooLong)
    {
        tooLong = false;
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        if (_first)
        {
            _first = false;
            if (line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line[1..];
            }
        }

        if (line.Length > MaxLineLength)
        {
            tooLong = true;
            return default;
        }

        return line;
    }

    private bool SkipRestOfLine()
    {
        _first = false;
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf('\n');
            if (newline >= 0)
            {
                _start += newline + 1;
                return true;
            }

            _start = _end = 0;
            if (_eof)
            {
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        var read = _reader.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }
        else
        {
            _end += read;
        }
    }
}
