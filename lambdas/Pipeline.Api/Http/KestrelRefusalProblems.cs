using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Pipeline.Api.Observability;
using Pipeline.Kestrel;

namespace Pipeline.Api.Http;

/// <summary>
/// The API's answer to a request Kestrel refuses itself (a NUL in the path, 414, 431, a broken request line): the
/// RFC 7807 validation problem every other bad input gets, its <c>errors</c> naming the part of the request at fault.
/// </summary>
public static class KestrelRefusalProblems
{
    public const string MediaType = "application/problem+json";

    public static RefusalBody Render(KestrelRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (Types.TryGetValue(refusal.Status, out var type)) json.WriteString("type", type);
            json.WriteString("title", ReasonPhrases.GetReasonPhrase(refusal.Status) is { Length: > 0 } phrase ? phrase : "Bad Request");
            json.WriteNumber("status", refusal.Status);
            json.WriteString("detail", refusal.Message);
            json.WriteStartObject("errors");
            json.WriteStartArray(refusal.Field);
            json.WriteStringValue(refusal.Message);
            json.WriteEndArray();
            json.WriteEndObject();
            if (refusal.RequestId is { } id) json.WriteString(RequestIds.ScopeKey, id);
            json.WriteEndObject();
        }
        return new RefusalBody(MediaType, buffer.ToArray());
    }

    private static readonly Dictionary<int, string> Types = new()
    {
        [400] = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        [411] = "https://tools.ietf.org/html/rfc9110#section-15.5.12",
        [413] = "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        [414] = "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        [431] = "https://tools.ietf.org/html/rfc6585#section-5",
        [505] = "https://tools.ietf.org/html/rfc9110#section-15.6.6",
    };
}
