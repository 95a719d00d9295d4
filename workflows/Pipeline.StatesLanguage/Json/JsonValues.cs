using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.StatesLanguage.Json;

/// <summary>Small helpers over <see cref="JsonNode"/>, where a C# null stands for JSON null.</summary>
public static class JsonValues
{
    public static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    public static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    public static bool IsString(JsonNode? node) => KindOf(node) == JsonValueKind.String;

    public static bool IsNumber(JsonNode? node) => KindOf(node) == JsonValueKind.Number;

    public static bool IsBoolean(JsonNode? node) => KindOf(node) is JsonValueKind.True or JsonValueKind.False;

    public static bool TryGetString(JsonNode? node, out string value)
    {
        if (IsString(node))
        {
            value = node!.GetValue<string>();
            return true;
        }
        value = "";
        return false;
    }

    // Parsing the JSON text works for element-backed and primitive-backed values alike.
    public static bool TryGetNumber(JsonNode? node, out decimal value)
    {
        value = 0;
        return IsNumber(node) && decimal.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        return IsNumber(node) && double.TryParse(node!.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryGetInteger(JsonNode? node, out long value)
    {
        value = 0;
        if (!TryGetNumber(node, out var number) || number != decimal.Truncate(number) || number > long.MaxValue || number < long.MinValue)
        {
            return false;
        }
        value = (long)number;
        return true;
    }

    public static bool TryGetBoolean(JsonNode? node, out bool value)
    {
        value = KindOf(node) == JsonValueKind.True;
        return IsBoolean(node);
    }

    public static string ToJson(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    public static JsonNode? Parse(string json) => JsonNode.Parse(json);

    public static bool DeepEquals(JsonNode? left, JsonNode? right) => JsonNode.DeepEquals(left, right);

    /// <summary>AWS's context timestamps: ISO 8601 in UTC with milliseconds, e.g. 2019-03-26T20:14:13.192Z.</summary>
    public static string FormatTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
