using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

public sealed class SolutionResource : Resource
{
    public override string Arn => SolutionArn;

    public required string Name { get; set; }
    public required string SolutionArn { get; set; }
    public bool PerformHPO { get; set; }
    public bool PerformAutoML { get; set; }
    public bool PerformAutoTraining { get; set; }
    public bool? PerformIncrementalUpdate { get; set; }
    public required string RecipeArn { get; set; }
    public required string DatasetGroupArn { get; set; }
    public string? EventType { get; set; }
    public JsonObject? SolutionConfig { get; set; }

    /// <summary>Filled in when described: the newest version's summary.</summary>
    public JsonObject? LatestSolutionVersion { get; set; }
}
