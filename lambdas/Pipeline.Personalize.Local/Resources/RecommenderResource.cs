using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

/// <summary>A domain recommender: kept as a resource (create, describe, list, delete); the local runtime serves campaigns only.</summary>
public sealed class RecommenderResource : Resource
{
    public override string Arn => RecommenderArn;

    public required string Name { get; set; }
    public required string RecommenderArn { get; set; }
    public required string DatasetGroupArn { get; set; }
    public required string RecipeArn { get; set; }
    public JsonObject? RecommenderConfig { get; set; }
}
