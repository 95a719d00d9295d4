using System.Text.Json.Serialization;
using Pipeline.Domain.Experiments;

namespace Pipeline.Adapters.Local.Sqlite;

/// <summary>Documents stored as JSON columns, serialized without reflection.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(Experiment))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class LocalJsonContext : JsonSerializerContext;
