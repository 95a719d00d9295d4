using System.Text.Json.Nodes;

namespace Pipeline.Workflows.Local;

/// <summary>
/// Step Functions' aws-sdk integrations name parameters and results in PascalCase (<c>SolutionArn</c>); the
/// Personalize wire protocol, and so <see cref="Pipeline.Personalize.Local.LocalPersonalize"/>, in camelCase
/// (<c>solutionArn</c>). These convert member names recursively and keep every value. Members that are
/// string-keyed maps in the Personalize API (metrics, hyperparameters, ...) keep their entries' keys as they are.
/// </summary>
public static class AwsSdkNames
{
    private static readonly HashSet<string> MapMembers = new(StringComparer.OrdinalIgnoreCase)
    {
        "metrics",
        "algorithmHyperParameters",
        "featureTransformationParameters",
        "itemExplorationConfig",
        "trainingHyperParameters",
        "tags",
    };

    public static JsonNode? ToCamelCase(JsonNode? node) => Convert(node, ToCamel);

    public static JsonNode? ToPascalCase(JsonNode? node) => Convert(node, ToPascal);

    public static string ToCamel(string name) =>
        name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    public static string ToPascal(string name) =>
        name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name[1..];

    private static JsonNode? Convert(JsonNode? node, Func<string, string> rename) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(member => KeyValuePair.Create(
            rename(member.Key),
            MapMembers.Contains(member.Key) && member.Value is JsonObject map
                ? map.DeepClone()
                : Convert(member.Value, rename)))),
        JsonArray array => new JsonArray([.. array.Select(item => Convert(item, rename))]),
        null => null,
        _ => node.DeepClone(),
    };
}
