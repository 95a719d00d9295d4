using System.Collections;

namespace Pipeline.Api.Observability;

/// <summary>
/// Gives every request an id: the client's <c>x-request-id</c> when it sends a usable one, else a new one. The id
/// is echoed in the response header, becomes <see cref="HttpContext.TraceIdentifier"/> (so problem details carry
/// it as <c>request_id</c>), and is the <c>request_id</c> scope of every log line written while the request runs.
/// Nothing is logged per request here: the scope costs one small allocation and no I/O.
/// </summary>
public sealed class RequestIds(RequestDelegate next, ILogger<RequestIds> logger)
{
    public const string Header = "x-request-id";
    public const string ScopeKey = "request_id";
    private const int MaxLength = 128;

    public async Task InvokeAsync(HttpContext context)
    {
        var id = Usable(context.Request.Headers[Header].ToString()) ?? Guid.CreateVersion7().ToString("N");
        context.TraceIdentifier = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Scope(id)))
        {
            await next(context);
        }
    }

    // A client's id is kept only when it is short printable ASCII, so it cannot forge log lines or headers.
    private static string? Usable(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return null;
        }
        foreach (var c in value)
        {
            if (c is < '!' or > '~')
            {
                return null;
            }
        }
        return value;
    }

    /// <summary>A structured scope: the JSON console writes it as <c>{"request_id": "…"}</c>.</summary>
    private sealed class Scope(string id) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public KeyValuePair<string, object?> this[int index] =>
            index == 0 ? new(ScopeKey, id) : throw new ArgumentOutOfRangeException(nameof(index));

        public int Count => 1;

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            yield return this[0];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => $"{ScopeKey}:{id}";
    }
}
