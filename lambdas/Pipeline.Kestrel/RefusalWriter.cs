using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Pipeline.Kestrel;

/// <summary>
/// The connection's output. Passes every write straight through until a refusal is pending on the connection; then
/// holds the next response until its head is whole and, if that head is Kestrel's empty answer (HTTP/1.x, status
/// 400 or more, <c>Content-Length: 0</c>, no <c>Content-Type</c>, nothing after it), writes the host's body in its
/// place. Any other response (an application's own, with its body) is released as it was written.
/// </summary>
internal sealed class RefusalWriter(PipeWriter inner, ConnectionRefusals refusals, Func<KestrelRefusal, RefusalBody> render) : PipeWriter
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private ArrayBufferWriter<byte>? _held;
    private KestrelRefusal? _refusal;
    private bool _lastFromHeld;

    private bool Holding()
    {
        if (_held is null && refusals.Pending is { } refusal)
        {
            refusals.Pending = null;
            _refusal = refusal;
            _held = new ArrayBufferWriter<byte>(1024);
        }
        return _held is not null;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => (_lastFromHeld = Holding()) ? _held!.GetMemory(sizeHint) : inner.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => (_lastFromHeld = Holding()) ? _held!.GetSpan(sizeHint) : inner.GetSpan(sizeHint);

    public override void Advance(int bytes)
    {
        if (_lastFromHeld && _held is not null)
        {
            _held.Advance(bytes);
            Release(final: false);
        }
        else
        {
            inner.Advance(bytes);
        }
    }

    public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

    public override long UnflushedBytes => inner.UnflushedBytes + (_held?.WrittenCount ?? 0);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) =>
        // A head not yet whole stays held (Kestrel writes a refusal's head in one piece, so this is rare); the rest flushes.
        inner.FlushAsync(cancellationToken);

    public override void CancelPendingFlush() => inner.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        Release(final: true);
        inner.Complete(exception);
    }

    public override async ValueTask CompleteAsync(Exception? exception = null)
    {
        Release(final: true);
        await inner.FlushAsync();
        await inner.CompleteAsync(exception);
    }

    private void Release(bool final)
    {
        if (_held is null) return;
        var written = _held.WrittenSpan;
        var end = written.IndexOf(EndOfHead);
        if (end < 0 && !final) return;

        var refusal = _refusal!;
        _held = null;
        _refusal = null;
        var replacement = end >= 0 && end + EndOfHead.Length == written.Length ? Replace(written[..end], refusal) : null;
        inner.Write(replacement ?? written);
    }

    /// <summary>The head with the host's body, or null when the head is not Kestrel's empty refusal.</summary>
    private byte[]? Replace(ReadOnlySpan<byte> head, KestrelRefusal refusal)
    {
        var lines = Encoding.Latin1.GetString(head).Split("\r\n");
        var status = lines[0].Split(' ');
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal)
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code < 400)
        {
            return null;
        }
        var headers = lines.Skip(1).ToList();
        bool Named(string line, string name) => line.StartsWith(name + ":", StringComparison.OrdinalIgnoreCase);
        var length = headers.FindIndex(h => Named(h, "Content-Length"));
        if (length < 0 || headers[length].Split(':', 2)[1].Trim() != "0" || headers.Any(h => Named(h, "Content-Type") || Named(h, "Transfer-Encoding")))
        {
            return null;
        }

        var body = render(refusal with { Status = code });
        headers.RemoveAt(length);
        var text = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var header in headers) text.Append(header).Append("\r\n");
        text.Append("Content-Type: ").Append(body.ContentType).Append("\r\n");
        foreach (var (name, value) in body.Headers ?? []) text.Append(name).Append(": ").Append(value).Append("\r\n");
        text.Append("Content-Length: ").Append(body.Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        return [.. Encoding.Latin1.GetBytes(text.ToString()), .. body.Body];
    }
}
