using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipeline.Api.Functions;

/// <summary>Reading an invoke payload's members: a value of another JSON kind counts as missing, not as an error to throw.</summary>
internal static class PayloadValues
{
    public static string? String(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>A string with at least one character (<paramref name="value"/> is empty otherwise).</summary>
    public static bool TryNonEmptyString(JsonNode? node, out string value)
    {
        value = String(node) ?? "";
        return value.Length > 0;
    }
}
