namespace Pipeline.Engine.Datasets;

/// <summary>
/// Reads a stream as UTF-8 lines without decoding them, handing out spans into its own buffer (valid until the
/// next call). Strips a leading byte-order mark and a trailing \r. Optionally hashes every byte it reads, so a
/// file can be fingerprinted in the same pass that parses it.
/// </summary>
internal sealed class Utf8LineReader(Stream stream, System.Security.Cryptography.IncrementalHash? hash = null, int bufferSize = 1 << 20)
{
    private byte[] _buffer = new byte[bufferSize];
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _first = true;

    public long LineNumber { get; private set; }

    public bool TryReadLine(out ReadOnlySpan<byte> line)
    {
        while (true)
        {
            var newline = _buffer.AsSpan(_start, _end - _start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = Trim(_buffer.AsSpan(_start, newline));
                _start += newline + 1;
                LineNumber++;
                return true;
            }
            if (_endOfStream)
            {
                if (_start == _end)
                {
                    line = default;
                    return false;
                }
                line = Trim(_buffer.AsSpan(_start, _end - _start));
                _start = _end;
                LineNumber++;
                return true;
            }
            Fill();
        }
    }

    private void Fill()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _endOfStream = true;
            return;
        }
        hash?.AppendData(_buffer, _end, read);
        _end += read;
    }

    private ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> line)
    {
        if (_first)
        {
            _first = false;
            if (line.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) line = line[3..];
        }
        return line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;
    }
}
