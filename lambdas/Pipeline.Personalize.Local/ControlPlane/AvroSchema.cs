using System.Text.Json;
using System.Text.Json.Nodes;
using Pipeline.Personalize.Local.Errors;

namespace Pipeline.Personalize.Local.ControlPlane;

/// <summary>The part of an Avro record schema Personalize checks: a record with named fields, some of them nullable.</summary>
public sealed record AvroSchema(IReadOnlyList<AvroField> Fields)
{
    public static AvroSchema Parse(string json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw PersonalizeException.InvalidInput($"The schema is not valid JSON: {e.Message}");
        }
        if (node is not JsonObject record || record["type"]?.GetValueKind() != JsonValueKind.String || record["type"]!.GetValue<string>() != "record")
            throw PersonalizeException.InvalidInput("The schema must be an Avro record (\"type\": \"record\").");
        if (record["fields"] is not JsonArray { Count: > 0 } fields)
            throw PersonalizeException.InvalidInput("The schema must have a non-empty \"fields\" list.");
        var parsed = new List<AvroField>();
        foreach (var field in fields)
        {
            if (field is not JsonObject f || f["name"]?.GetValueKind() != JsonValueKind.String || f["type"] is null)
                throw PersonalizeException.InvalidInput("Every schema field needs a \"name\" and a \"type\".");
            var type = f["type"]!;
            var nullable = type is JsonArray union && union.Any(t => t?.GetValueKind() == JsonValueKind.String && t.GetValue<string>() == "null");
            parsed.Add(new AvroField(f["name"]!.GetValue<string>(), nullable));
        }
        return new AvroSchema(parsed);
    }

    public bool Has(string field) => Fields.Any(f => string.Equals(f.Name, field, StringComparison.OrdinalIgnoreCase));
}

public sealed record AvroField(string Name, bool Nullable);
