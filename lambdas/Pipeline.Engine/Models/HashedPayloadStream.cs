using System.Security.Cryptography;

namespace Pipeline.Engine.Models;

/// <summary>
/// The payload of a <see cref="ModelArtifact"/> read forward from the artifact's stream, hashed (SHA-256) as it goes,
/// so a model loads without first copying its whole payload into memory. Small reads (the recipe's lengths and
/// strings) come from a 64 KiB buffer hashed once per refill; large reads (the arrays) go straight from the file
/// into the caller's array and are hashed there. <see cref="Length"/> and <see cref="Position"/> describe the
/// payload alone, so readers can bound what a length prefix claims. Reading past the file's end throws
/// <see cref="InvalidModelArtifactException"/> ("truncated").
/// </summary>
public sealed class HashedPayloadStream : Stream
{
    private const int BufferSize = 1 << 16;
    private readonly Stream _inner;
    private readonly long _length;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _buffer = new byte[BufferSize];
    private int _bufferStart, _bufferEnd;
    private long _fetched; // payload bytes taken from the inner stream (and hashed)

    public HashedPayloadStream(Stream inner, long length)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _inner = inner;
        _length = length;
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _fetched - (_bufferEnd - _bufferStart);
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>Reads (and hashes) what is left of the payload, then returns the payload's SHA-256.</summary>
    public byte[] FinishHash()
    {
        _bufferStart = _bufferEnd = 0;
        while (_fetched < _length) Fill();
        _bufferStart = _bufferEnd = 0;
        return _hash.GetHashAndReset();
    }

    public override int Read(Span<byte> buffer)
    {
        var total = 0;
        while (buffer.Length > 0)
        {
            if (_bufferStart < _bufferEnd)
            {
                var n = Math.Min(buffer.Length, _bufferEnd - _bufferStart);
                _buffer.AsSpan(_bufferStart, n).CopyTo(buffer);
                _bufferStart += n;
                buffer = buffer[n..];
                total += n;
                continue;
            }
            var left = _length - _fetched;
            if (left == 0) break;
            if (buffer.Length >= BufferSize)
            {
                // Large: straight into the caller's memory, hashed there.
                var direct = buffer[..(int)Math.Min(buffer.Length, left)];
                var n = _inner.Read(direct);
                if (n == 0) throw Truncated();
                _hash.AppendData(direct[..n]);
                _fetched += n;
                buffer = buffer[n..];
                total += n;
                continue;
            }
            if (total > 0) break; // return what there is rather than block on a refill
            Fill();
        }
        return total;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        if (_bufferStart == _bufferEnd)
        {
            if (_fetched == _length) return -1;
            Fill();
        }
        return _buffer[_bufferStart++];
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => _length + offset,
        };
        if (target < Position || target > _length) throw new NotSupportedException("the payload is read forward only, within its length");
        Span<byte> skip = stackalloc byte[4096];
        while (Position < target) ReadExactly(skip[..(int)Math.Min(skip.Length, target - Position)]);
        return Position;
    }

    private void Fill()
    {
        var want = (int)Math.Min(BufferSize, _length - _fetched);
        var n = _inner.Read(_buffer, 0, want);
        if (n == 0) throw Truncated();
        _hash.AppendData(_buffer, 0, n);
        _fetched += n;
        _bufferStart = 0;
        _bufferEnd = n;
    }

    private static InvalidModelArtifactException Truncated() => new("truncated: the file ends before the payload does");

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _hash.Dispose();
        base.Dispose(disposing);
    }
}
