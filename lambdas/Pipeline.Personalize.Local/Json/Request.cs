using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipeline.Personalize.Local.Errors;

namespace Pipeline.Personalize.Local.Json;

/// <summary>
/// Reads one request's members with the constraints of the service model (required, length, pattern, range),
/// failing with InvalidInputException in AWS's validation wording. Handlers read everything before they change
/// anything, so a malformed request changes nothing.
/// </summary>
public sealed partial class Request(JsonObject body)
{
    public JsonObject Body { get; } = body;

    public static Request Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new Request([]);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: StrictDocument);
            // Strings are decoded lazily; a lone UTF-16 surrogate (\ud800) would otherwise fail deep inside an operation.
            DecodeEveryString(node);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or ArgumentException)
        {
            throw new PersonalizeException(ErrorTypes.Serialization, $"The request body is not valid JSON: {e.Message}");
        }
        return node is JsonObject body
            ? new Request(body)
            : throw new PersonalizeException(ErrorTypes.Serialization, "The request body must be a JSON object.");
    }

    // A member given twice is ambiguous (which one did the caller mean?): refused, as AWS's own parsers refuse it.
    private static readonly JsonDocumentOptions StrictDocument = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private static void DecodeEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o) DecodeEveryString(child);
                break;
            case JsonArray a:
                foreach (var child in a) DecodeEveryString(child);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                _ = v.GetValue<string>();
                break;
        }
    }

    public string RequiredString(string member, int maxLength = 256) =>
        String(member, maxLength) ?? throw Invalid(member, "null", "Member must not be null");

    public string? String(string member, int maxLength = 256)
    {
        if (Body[member] is not { } node) return null;
        if (node.GetValueKind() != JsonValueKind.String) throw Invalid(member, node.ToJsonString(), "Member must be a string");
        var value = node.GetValue<string>();
        if (value.Length > maxLength) throw Invalid(member, value, $"Member must have length less than or equal to {maxLength}");
        return value;
    }

    /// <summary>A resource name: letters, digits, '-' and '_', starting with a letter or digit, at most 63 characters.</summary>
    public string Name(string member = "name")
    {
        var value = RequiredString(member, 63);
        if (!NamePattern().IsMatch(value)) throw Invalid(member, value, "Member must satisfy regular expression pattern: ^[a-zA-Z0-9][a-zA-Z0-9\\-_]*");
        return value;
    }

    public string? OptionalName(string member) => Body[member] is null ? null : Name(member);

    public string Arn(string member) => CheckArn(member, RequiredString(member));

    public string? OptionalArn(string member) => String(member) is { } value ? CheckArn(member, value) : null;

    public int? Int(string member, int? min = null, int? max = null)
    {
        if (Body[member] is not { } node) return null;
        if (node.GetValueKind() != JsonValueKind.Number || !int.TryParse(node.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            throw Invalid(member, node.ToJsonString(), "Member must be an integer");
        if (value < min) throw Invalid(member, value.ToString(CultureInfo.InvariantCulture), $"Member must have value greater than or equal to {min}");
        if (value > max) throw Invalid(member, value.ToString(CultureInfo.InvariantCulture), $"Member must have value less than or equal to {max}");
        return value;
    }

    public bool? Bool(string member)
    {
        if (Body[member] is not { } node) return null;
        return node.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Invalid(member, node.ToJsonString(), "Member must be a boolean"),
        };
    }

    public string? Enum(string member, params string[] allowed)
    {
        var value = String(member);
        if (value is not null && !allowed.Contains(value, StringComparer.Ordinal))
            throw Invalid(member, value, $"Member must satisfy enum value set: [{string.Join(", ", allowed)}]");
        return value;
    }

    public JsonObject? Object(string member) => Body[member] switch
    {
        null => null,
        JsonObject o => (JsonObject)o.DeepClone(),
        var other => throw Invalid(member, other.ToJsonString(), "Member must be a structure"),
    };

    public JsonArray? Array(string member, int? min = null, int? max = null)
    {
        if (Body[member] is not { } node) return null;
        if (node is not JsonArray array) throw Invalid(member, node.ToJsonString(), "Member must be a list");
        if (array.Count < min) throw Invalid(member, "[...]", $"Member must have length greater than or equal to {min}");
        if (array.Count > max) throw Invalid(member, "[...]", $"Member must have length less than or equal to {max}");
        return array;
    }

    /// <summary>A map of strings (hyperparameters, filter values, context).</summary>
    public Dictionary<string, string>? StringMap(string member) => StringMap(Body[member], member);

    public static Dictionary<string, string>? StringMap(JsonNode? node, string member)
    {
        if (node is null) return null;
        if (node is not JsonObject map) throw Invalid(member, node.ToJsonString(), "Member must be a map");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map)
        {
            if (value is null || value.GetValueKind() != JsonValueKind.String) throw Invalid($"{member}.{key}", value?.ToJsonString() ?? "null", "Member must be a string");
            result[key] = value.GetValue<string>();
        }
        return result;
    }

    /// <summary>A nested member, e.g. <c>dataSource</c>, read with the same rules.</summary>
    public Request? Nested(string member) => Object(member) is { } body ? new Request(body) : null;

    public static PersonalizeException Invalid(string member, string value, string constraint) =>
        PersonalizeException.InvalidInput($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}");

    private static string CheckArn(string member, string value) =>
        ArnPattern().IsMatch(value) ? value : throw Invalid(member, value, "Member must satisfy regular expression pattern: arn:([a-z\\d-]+):personalize:.*:.*:.+");

    [GeneratedRegex(@"^[a-zA-Z0-9][a-zA-Z0-9\-_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"^arn:([a-z\d-]+):personalize:.*:.*:.+$")]
    private static partial Regex ArnPattern();
}
