using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Pipeline.Personalize.Local.Json;

/// <summary>
/// Serialization as Personalize's JSON protocols do it: camelCase members, absent instead of null, timestamps as
/// epoch seconds. The state file uses the same options, so a resource is stored exactly as it is described.
/// </summary>
public static class PersonalizeJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new EpochSecondsConverter() },
        WriteIndented = false,
    };

    public static JsonObject ToNode<T>(T value) =>
        JsonSerializer.SerializeToNode(value, Options) as JsonObject ?? throw new InvalidOperationException($"{typeof(T).Name} did not serialize to an object");

    /// <summary>A copy of <paramref name="full"/> with only the given members, for the List operations' summaries.</summary>
    public static JsonObject Summary(JsonObject full, params string[] members)
    {
        var summary = new JsonObject();
        foreach (var member in members)
            if (full[member] is { } value) summary[member] = value.DeepClone();
        return summary;
    }

    public static double EpochSeconds(DateTimeOffset value) => Math.Round(value.ToUnixTimeMilliseconds() / 1000.0, 3);

    private sealed class EpochSecondsConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(reader.GetDouble() * 1000))
                : DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(EpochSeconds(value));
    }
}
