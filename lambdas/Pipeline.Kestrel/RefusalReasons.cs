using Microsoft.AspNetCore.Http;

namespace Pipeline.Kestrel;

/// <summary>
/// Names the part of the request a <see cref="BadHttpRequestException"/> blames. Kestrel's reason enum is internal, so
/// the status and the start of its (English, resource-fixed) message decide; anything not recognised is <c>request</c>.
/// </summary>
public static class RefusalReasons
{
    public const string Path = "path";
    public const string RequestLine = "request_line";
    public const string Headers = "headers";
    public const string Request = "request";

    public static KestrelRefusal Classify(int status, string? message, string? requestId)
    {
        var text = message ?? "";
        if (status == StatusCodes.Status414UriTooLong)
        {
            return new(status, RequestLine, "The request line is longer than the server accepts.", requestId);
        }
        if (status == StatusCodes.Status431RequestHeaderFieldsTooLarge)
        {
            return new(status, Headers, "The request headers are larger, or more, than the server accepts.", requestId);
        }
        if (status == StatusCodes.Status505HttpVersionNotsupported || Starts(text, "Unrecognized HTTP version") || Starts(text, "Invalid request line"))
        {
            return new(status, RequestLine, "The request line is not 'METHOD target HTTP/1.x'.", requestId);
        }
        if (Starts(text, "Invalid request target"))
        {
            return new(status, Path, "The path holds a character no resource can have (a NUL or another control character, decoded or not).", requestId);
        }
        if (Starts(text, "Invalid request header") || Starts(text, "Malformed request: invalid headers") || text.Contains("Host header", StringComparison.Ordinal)
            || Starts(text, "Invalid content length") || text.Contains("Transfer-Encoding", StringComparison.Ordinal))
        {
            return new(status, Headers, "A request header is malformed, missing or contradicts another.", requestId);
        }
        return new(status, Request, "The request is not valid HTTP/1.1 (for example an HTTP/1.0 request with a body but no Content-Length).", requestId);
    }

    private static bool Starts(string text, string prefix) => text.StartsWith(prefix, StringComparison.Ordinal);
}
