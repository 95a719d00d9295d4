using System.Globalization;
using System.Text.Json;

namespace Pipeline.Api.Http;

/// <summary>
/// Reads a timestamp field given as epoch seconds (Personalize's format) or an ISO 8601 date-time with its offset
/// (<c>2024-03-01T12:00:00Z</c>, <c>…T12:00:00.5+02:00</c>), within <see cref="Earliest"/> and a day past the server's
/// clock. Nothing else: a culture-dependent date (<c>1/2/2020</c>), a date without a time or offset, year 1 or 9999.
/// An event's timestamp names the hour its batch is archived under on AWS, so one stray value misfiles a whole batch.
/// </summary>
public static class Timestamps
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>How far past the server's clock a timestamp may be (clocks of clients drift).</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromDays(1);

    private static readonly string[] IsoFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz",
    ];

    /// <param name="name">How the message names the value; the field path by default.</param>
    public static DateTimeOffset? Parse(JsonElement? timestamp, string field, ValidationErrors errors, DateTimeOffset now, string? name = null)
    {
        if (timestamp is not { } value || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        DateTimeOffset? parsed = null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds) && double.IsFinite(seconds)
            && seconds >= Earliest.ToUnixTimeSeconds() && seconds <= (now + FutureTolerance).ToUnixTimeSeconds())
        {
            parsed = DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
        }
        else if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParseExact(value.GetString(), IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso))
        {
            parsed = iso.ToUniversalTime();
        }
        if (parsed is { } result && result >= Earliest && result <= now + FutureTolerance)
        {
            return result;
        }
        errors.Add(field, $"'{name ?? field}' must be epoch seconds or an ISO 8601 date-time with offset (e.g. 2024-03-01T12:00:00Z), " +
            $"from {Earliest:yyyy-MM-dd} to one day past the server's clock.");
        return null;
    }
}
