using System.Text.Json.Nodes;

namespace Pipeline.Personalize.Local.Resources;

public sealed class CampaignResource : Resource
{
    public override string Arn => CampaignArn;

    public required string Name { get; set; }
    public required string CampaignArn { get; set; }

    /// <summary>The version being served; an update replaces it only when the update becomes ACTIVE.</summary>
    public required string SolutionVersionArn { get; set; }
    public int MinProvisionedTPS { get; set; } = 1;
    public JsonObject? CampaignConfig { get; set; }
    public CampaignUpdate? LatestCampaignUpdate { get; set; }
}

/// <summary>Personalize's CampaignUpdateSummary: the update in flight (or the last one).</summary>
public sealed class CampaignUpdate
{
    public required string SolutionVersionArn { get; set; }
    public int MinProvisionedTPS { get; set; }
    public JsonObject? CampaignConfig { get; set; }
    public required string Status { get; set; }
    public string? FailureReason { get; set; }
    public DateTimeOffset CreationDateTime { get; set; }
    public DateTimeOffset LastUpdatedDateTime { get; set; }
}
