using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Engine.Models;

namespace Pipeline.Engine.InHouse;

/// <summary>
/// The small object that says which in-house models serve: <c>{version, trained_at, source: {interactions, items},
/// models: {recipe: key}}</c>. The trainer writes it after every artifact it names, so a reader that sees a version finds
/// all of its models; the source is remembered so a run without a new import retrains on the last one.
/// </summary>
public sealed record ModelManifest(
    string Version,
    DateTimeOffset TrainedAt,
    string Interactions,
    string? Items,
    IReadOnlyDictionary<string, string> Models)
{
    public byte[] ToJsonBytes()
    {
        var models = new JsonObject();
        foreach (var (recipe, key) in Models.OrderBy(m => m.Key, StringComparer.Ordinal)) models[recipe] = key;
        var json = new JsonObject
        {
            ["version"] = Version,
            ["trained_at"] = TrainedAt.ToString("O"),
            ["source"] = new JsonObject { ["interactions"] = Interactions, ["items"] = Items },
            ["models"] = models,
        };
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    /// <exception cref="InvalidModelArtifactException">The bytes are not a manifest.</exception>
    public static ModelManifest Parse(byte[] bytes)
    {
        try
        {
            var json = JsonNode.Parse(bytes) as JsonObject ?? throw new InvalidModelArtifactException("the manifest is not a JSON object");
            var models = (json["models"] as JsonObject ?? throw new InvalidModelArtifactException("the manifest has no models object"))
                .ToDictionary(m => m.Key, m => m.Value?.GetValue<string>() ?? throw new InvalidModelArtifactException($"the manifest's model {m.Key} has no key"), StringComparer.Ordinal);
            return new ModelManifest(
                json["version"]?.GetValue<string>() ?? throw new InvalidModelArtifactException("the manifest has no version"),
                DateTimeOffset.Parse(json["trained_at"]?.GetValue<string>() ?? throw new InvalidModelArtifactException("the manifest has no trained_at"), System.Globalization.CultureInfo.InvariantCulture),
                json["source"]?["interactions"]?.GetValue<string>() ?? throw new InvalidModelArtifactException("the manifest has no source.interactions"),
                json["source"]?["items"]?.GetValue<string>(),
                models);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidModelArtifactException($"the manifest is malformed: {e.Message}");
        }
    }
}
