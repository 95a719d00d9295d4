using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipeline.Adapters.Aws.Signing;

/// <summary>The key a request is signed with; <paramref name="SessionToken"/> is set for temporary (role) credentials.</summary>
public sealed record SigV4Credentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);

/// <summary>What signing produced: the intermediate strings (for tests and debugging) and the headers to send.</summary>
public sealed record SigV4Signature(
    string CanonicalRequest,
    string StringToSign,
    string Signature,
    string Authorization,
    IReadOnlyList<KeyValuePair<string, string>> HeadersToAdd);

/// <summary>
/// AWS Signature Version 4 (header signing) for the services this project calls without an SDK package
/// (Personalize runtime and events, SNS, EventBridge). Pure functions of the request, key, scope and time,
/// so AWS's published test suite checks them byte for byte.
/// </summary>
/// <remarks>
/// The canonical URI: every service but S3 takes each path segment as sent (already percent-encoded) and encodes it
/// once more (<c>x%20y</c> signs as <c>x%2520y</c>), as botocore does; S3 and AWS's published test suite take the
/// decoded path encoded once (<c>encodePathTwice: false</c>). <see cref="SignAsync"/> chooses by service.
/// </remarks>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";
    public const string EmptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Signs a request given as its parts; <paramref name="headers"/> must include <c>host</c>.</summary>
    /// <param name="signPayloadHeader">Also send and sign <c>x-amz-content-sha256</c> (S3 needs it; others accept it).</param>
    /// <param name="encodePathTwice">Encode the path as sent once more (every service but S3; see the remarks).</param>
    public static SigV4Signature Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> payload,
        SigV4Credentials credentials,
        string region,
        string service,
        DateTimeOffset now,
        bool signPayloadHeader = false,
        bool encodePathTwice = false)
    {
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var date = amzDate[..8];
        var payloadHash = Hex(SHA256.HashData(payload));

        var added = new List<KeyValuePair<string, string>> { new("x-amz-date", amzDate) };
        if (signPayloadHeader)
        {
            added.Add(new("x-amz-content-sha256", payloadHash));
        }
        if (credentials.SessionToken is { Length: > 0 } token)
        {
            added.Add(new("x-amz-security-token", token));
        }

        var (canonicalHeaders, signedHeaders) = CanonicalHeaders(headers.Concat(added));
        var canonicalRequest = string.Join('\n',
            method.ToUpperInvariant(),
            CanonicalUri(uri.AbsolutePath, encodePathTwice),
            CanonicalQuery(uri.Query),
            canonicalHeaders,
            signedHeaders,
            payloadHash);

        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        var signature = Hex(Hmac(key, stringToSign));

        var authorization = $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
        return new SigV4Signature(canonicalRequest, stringToSign, signature, authorization, added);
    }

    /// <summary>Signs an outgoing request in place: adds x-amz-date (and the token) and the Authorization header.</summary>
    public static async Task SignAsync(
        HttpRequestMessage request, SigV4Credentials credentials, string region, string service, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        var uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        var payload = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        var headers = new List<KeyValuePair<string, string>> { new("host", uri.IsDefaultPort ? uri.Host : uri.Authority) };
        // Content-Type is sent with the body and the services expect it signed; other content headers are left out
        // because proxies and handlers may rewrite them (Content-Length is recomputed by the handler anyway).
        if (request.Content?.Headers.ContentType is { } contentType)
        {
            headers.Add(new("content-type", contentType.ToString()));
        }
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new(header.Key, string.Join(',', header.Value)));
        }

        var signed = Sign(request.Method.Method, uri, headers, payload, credentials, region, service, now,
            encodePathTwice: !string.Equals(service, "s3", StringComparison.Ordinal));
        foreach (var (name, value) in signed.HeadersToAdd)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
        request.Headers.TryAddWithoutValidation("Authorization", signed.Authorization);
    }

    internal static string CanonicalUri(string absolutePath, bool encodeTwice = false)
    {
        if (absolutePath.Length == 0)
        {
            return "/";
        }
        var segments = absolutePath.Split('/').Select(s => Encode(encodeTwice ? s : Uri.UnescapeDataString(s)));
        return string.Join('/', segments);
    }

    internal static string CanonicalQuery(string query)
    {
        if (query.Length <= 1)
        {
            return "";
        }
        var pairs = query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(part =>
            {
                var equals = part.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? part : part[..equals];
                var value = equals < 0 ? "" : part[(equals + 1)..];
                return (Name: Encode(Unescape(name)), Value: Encode(Unescape(value)));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal);
        return string.Join('&', pairs.Select(p => $"{p.Name}={p.Value}"));
    }

    private static (string Canonical, string Signed) CanonicalHeaders(IEnumerable<KeyValuePair<string, string>> headers)
    {
        // Repeated names join their values with commas in the order given; values are trimmed and inner runs of
        // spaces collapse to one.
        var byName = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            var key = name.Trim().ToLowerInvariant();
            if (!byName.TryGetValue(key, out var values))
            {
                byName[key] = values = [];
            }
            values.Add(CollapseSpaces(value.Trim()));
        }
        var canonical = new StringBuilder();
        foreach (var (name, values) in byName)
        {
            canonical.Append(name).Append(':').Append(string.Join(',', values)).Append('\n');
        }
        return (canonical.ToString(), string.Join(';', byName.Keys));
    }

    private static string CollapseSpaces(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c == ' ' && builder.Length > 0 && builder[^1] == ' ')
            {
                continue;
            }
            builder.Append(c);
        }
        return builder.ToString();
    }

    // In a query string '+' stands for a space only in form encoding; SigV4 reads it literally.
    private static string Unescape(string value) => Uri.UnescapeDataString(value);

    /// <summary>RFC 3986 encoding of everything but the unreserved characters, with upper-case hex, over UTF-8.</summary>
    internal static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
