using System.Globalization;
using System.Text.Json;

namespace Pipeline.Api.Http;

/// <summary>Reads a timestamp field given as epoch seconds (Personalize's format) or an ISO 8601 string.</summary>
public static class Timestamps
{
    /// <param name="name">How the message names the value; the field path by default.</param>
    public static DateTimeOffset? Parse(JsonElement? timestamp, string field, ValidationErrors errors, string? name = null)
    {
        if (timestamp is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && seconds is >= 0 and < 32503680000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }
        if (value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.ToUniversalTime();
        }
        errors.Add(field, $"'{name ?? field}' must be epoch seconds or an ISO 8601 date-time.");
        return null;
    }
}
