using System.Net.Sockets;
using System.Text;

namespace Pipeline.Testing;

/// <summary>
/// One request written byte for byte on its own TCP connection, and the answer read back as sent: what HttpClient
/// cannot send (a broken request line, a header without a colon, HTTP/1.0 without a length) reaches Kestrel as is.
/// </summary>
public static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
    {
        public string? MediaType => Headers.TryGetValue("content-type", out var type) ? type.Split(';')[0].Trim() : null;
    }

    public static async Task<Answer> SendAsync(Uri server, string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.Latin1.GetBytes(request));
        await stream.FlushAsync();

        // Read until the answer is whole: its headers, then Content-Length bytes (or the close, which Kestrel does after a refusal).
        var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var parsed = TryParse(received.ToArray());
            if (parsed is not null) return parsed;
            int read;
            try
            {
                read = await stream.ReadAsync(buffer);
            }
            catch (IOException)
            {
                read = 0; // reset after the answer: what was read is all there is
            }
            if (read == 0)
            {
                return TryParse(received.ToArray(), closed: true)
                    ?? throw new InvalidOperationException($"The connection closed before an answer: '{Encoding.Latin1.GetString(received.ToArray())}'");
            }
            received.Write(buffer, 0, read);
        }
    }

    private static Answer? TryParse(byte[] bytes, bool closed = false)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0) return null;
        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
        var body = bytes.AsSpan(end + 4);
        if (headers.TryGetValue("content-length", out var length))
        {
            var expected = int.Parse(length, System.Globalization.CultureInfo.InvariantCulture);
            if (body.Length < expected) return closed ? new Answer(status, headers, Encoding.UTF8.GetString(body)) : null;
            return new Answer(status, headers, Encoding.UTF8.GetString(body[..expected]));
        }
        if (headers.TryGetValue("transfer-encoding", out var coding) && coding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new MemoryStream();
            var at = 0;
            while (true)
            {
                var line = body[at..].IndexOf("\r\n"u8);
                if (line < 0) return null;
                var size = Convert.ToInt32(Encoding.Latin1.GetString(body.Slice(at, line)).Split(';')[0].Trim(), 16);
                at += line + 2;
                if (size == 0) return new Answer(status, headers, Encoding.UTF8.GetString(decoded.ToArray()));
                if (body.Length < at + size + 2) return null;
                decoded.Write(body.Slice(at, size));
                at += size + 2;
            }
        }
        return closed ? new Answer(status, headers, Encoding.UTF8.GetString(body)) : null;
    }
}
