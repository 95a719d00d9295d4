using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

public sealed class SolutionVersionResource : Resource
{
    public override string Arn => SolutionVersionArn;

    public string? Name { get; set; }
    public required string SolutionVersionArn { get; set; }
    public required string SolutionArn { get; set; }
    public bool PerformHPO { get; set; }
    public bool PerformAutoML { get; set; }
    public bool? PerformIncrementalUpdate { get; set; }
    public required string RecipeArn { get; set; }
    public string? EventType { get; set; }
    public required string DatasetGroupArn { get; set; }
    public JsonObject? SolutionConfig { get; set; }
    public double? TrainingHours { get; set; }
    public string TrainingMode { get; set; } = "FULL";
    public string TrainingType { get; set; } = "MANUAL";
    public JsonObject? TunedHPOParams { get; set; }
}
