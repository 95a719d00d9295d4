using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace Pipeline.Adapters.Aws.DynamoDb;

/// <summary>
/// Conversions between domain values and attribute values. Times are ISO 8601 UTC strings with milliseconds
/// and a fixed width, so they sort as strings (the GSIs' sort keys are strings) and keep what SQLite keeps.
/// </summary>
internal static class DynamoDbValues
{
    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static AttributeValue S(string value) => new() { S = value };

    public static AttributeValue N(double value) => new() { N = value.ToString("R", CultureInfo.InvariantCulture) };

    public static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

    public static AttributeValue Time(DateTimeOffset value) =>
        S(DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds()).UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture));

    /// <summary>The TTL attribute: epoch seconds, a number, as DynamoDB's TTL requires.</summary>
    public static AttributeValue ExpiresAt(TimeProvider time, TimeSpan retention) => N((time.GetUtcNow() + retention).ToUnixTimeSeconds());

    public static void SetIfNotNull(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }

    public static void SetIfNotNull(Dictionary<string, AttributeValue> item, string name, double? value)
    {
        if (value is { } number)
        {
            item[name] = N(number);
        }
    }

    public static string GetString(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.S is { } s ? s : throw Missing(name);

    public static string? GetStringOrNull(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    public static double GetDouble(Dictionary<string, AttributeValue> item, string name) =>
        GetDoubleOrNull(item, name) ?? throw Missing(name);

    public static double? GetDoubleOrNull(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n ? double.Parse(n, CultureInfo.InvariantCulture) : null;

    public static long GetLong(Dictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) && value.N is { } n
            ? (long)decimal.Parse(n, NumberStyles.Float, CultureInfo.InvariantCulture)
            : throw Missing(name);

    public static DateTimeOffset GetTime(Dictionary<string, AttributeValue> item, string name) =>
        GetTimeOrNull(item, name) ?? throw Missing(name);

    public static DateTimeOffset? GetTimeOrNull(Dictionary<string, AttributeValue> item, string name) =>
        GetStringOrNull(item, name) is { } s
            ? DateTimeOffset.ParseExact(s, TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

    private static InvalidDataException Missing(string name) => new($"The stored item has no '{name}' attribute of the expected type.");
}
