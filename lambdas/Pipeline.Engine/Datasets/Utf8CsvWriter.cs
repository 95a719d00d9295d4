using System.Buffers.Text;

namespace Pipeline.Engine.Datasets;

/// <summary>
/// Writes CSV rows as UTF-8 bytes into a large buffer, formatting numbers in place, so millions of rows
/// cost no per-row string allocations. Values it is given must not need quoting (the generator's never do).
/// </summary>
internal sealed class Utf8CsvWriter(Stream stream, int bufferSize = 1 << 20) : IDisposable
{
    // Longest thing written in one call is an id or a number; keep this much room so calls need no bounds checks of their own.
    private const int Headroom = 256;
    private readonly byte[] _buffer = new byte[Math.Max(bufferSize, Headroom * 4)];
    private int _position;

    public long BytesWritten { get; private set; }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _position)
        {
            Flush();
            if (bytes.Length > _buffer.Length)
            {
                stream.Write(bytes);
                BytesWritten += bytes.Length;
                return;
            }
        }
        bytes.CopyTo(_buffer.AsSpan(_position));
        _position += bytes.Length;
    }

    public void WriteByte(byte value)
    {
        EnsureHeadroom();
        _buffer[_position++] = value;
    }

    public void WriteInt64(long value)
    {
        EnsureHeadroom();
        Utf8Formatter.TryFormat(value, _buffer.AsSpan(_position), out var written);
        _position += written;
    }

    /// <summary>Writes an amount held in cents as a decimal with two places (1999 → 19.99), exactly.</summary>
    public void WriteCents(long cents)
    {
        EnsureHeadroom();
        if (cents < 0)
        {
            _buffer[_position++] = (byte)'-';
            cents = -cents;
        }
        Utf8Formatter.TryFormat(cents / 100, _buffer.AsSpan(_position), out var written);
        _position += written;
        var fraction = (int)(cents % 100);
        _buffer[_position++] = (byte)'.';
        _buffer[_position++] = (byte)('0' + fraction / 10);
        _buffer[_position++] = (byte)('0' + fraction % 10);
    }

    public void Flush()
    {
        if (_position == 0) return;
        stream.Write(_buffer, 0, _position);
        BytesWritten += _position;
        _position = 0;
    }

    public void Dispose() => Flush();

    private void EnsureHeadroom()
    {
        if (_buffer.Length - _position < Headroom) Flush();
    }
}
